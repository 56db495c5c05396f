from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Planned centres and their plans, listening before opening, and what opening does (scenarios)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"

    def ready(self):
        from audit import recorder
        from listening import selectors as listening

        for name in ("CenterPlan", "PlannedActivity", "PlannedStaff", "PlannedCost", "Scenario"):
            recorder.register(f"planning.{name}", label=f"planning.{name.lower()}")

        from . import selectors

        # Listening sits above planning: it sets a planned centre's needs against the plan through this hook.
        listening.plan_offer_with(selectors.planned_offer)
        # Reports sits above planning too: a centre opened from a plan shows it beside its actuals on its dashboard.
        from reports.dashboard import add_dashboard_panel

        add_dashboard_panel(selectors.dashboard_panel)
