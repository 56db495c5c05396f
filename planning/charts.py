"""The runway chart: for each funding source, months of funding left without and with the openings, as paired
bars drawn on the server (like reports.dashboard), mirrored right to left for Arabic."""

from django.utils import translation
from django.utils.translation import gettext as _

from reports.dashboard import _nice_top
from reports.document import number

WIDTH, HEIGHT = 640, 250
AXIS, END, TOP, BOTTOM = 56, 12, 30, 46
NAME_CHARS = 22


def runway_chart(sources: list) -> dict:
    rtl = translation.get_language_bidi()
    plot_w, plot_h = WIDTH - AXIS - END, HEIGHT - TOP - BOTTOM
    values = [float(v) for s in sources for v in (s.months_without, s.months_with) if v is not None]
    top = _nice_top(max([*values, 1]))
    slot = plot_w / max(len(sources), 1)
    bar_w = slot * 0.32

    def x_of(left: float, width: float) -> float:
        return WIDTH - left - width if rtl else left

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * min(value, top) / top

    groups = []
    for i, source in enumerate(sources):
        start = AXIS + i * slot + slot * 0.16
        bars = []
        for j, (value, colour, what) in enumerate(
            ((source.months_without, "#6c757d", _("without")), (source.months_with, "#b30d29", _("with")))
        ):
            x = x_of(start + j * bar_w, bar_w)
            label = number(value, 1) if value is not None else "—"
            bars.append(
                {
                    "x": round(x, 1),
                    "y": round(y_of(float(value or 0)), 1),
                    "width": round(bar_w, 1),
                    "height": round(plot_h * min(float(value or 0), top) / top, 1),
                    "fill": colour,
                    "centre": round(x + bar_w / 2, 1),
                    "value": label,
                    "value_y": round(y_of(float(value or 0)) - 4, 1),
                    "title": f"{source.name}, {what}: {label}",
                }
            )
        name = source.name if len(source.name) <= NAME_CHARS else source.name[: NAME_CHARS - 1] + "…"
        groups.append({"bars": bars, "name": name, "centre": round(x_of(start, 2 * bar_w) + bar_w, 1)})
    ticks = [{"y": round(y_of(v), 1), "label": number(v, 0)} for v in (0, top / 2, top)]
    legend_x = END if rtl else WIDTH - END
    return {
        "title": _("Months of funding left, without and with the openings"),
        "width": WIDTH,
        "height": HEIGHT,
        "groups": groups,
        "ticks": ticks,
        "plot_left": END if rtl else AXIS,
        "plot_right": WIDTH - AXIS if rtl else WIDTH - END,
        "axis_x": WIDTH - AXIS + 6 if rtl else AXIS - 6,
        "axis_anchor": "start" if rtl else "end",
        "baseline": TOP + plot_h,
        "name_y": HEIGHT - BOTTOM + 16,
        "legend": [
            {
                "x": legend_x,
                "y": 12,
                "anchor": "start" if rtl else "end",
                "fill": "#6c757d",
                "label": _("without the openings"),
            },
            {
                "x": legend_x,
                "y": 25,
                "anchor": "start" if rtl else "end",
                "fill": "#b30d29",
                "label": _("with the openings"),
            },
        ],
    }
