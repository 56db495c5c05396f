"""A year of listening for each open centre: outreach visits with needs interviews, and feedback."""

import datetime as dt
import random
import uuid

from django.db import transaction
from django.utils import timezone

from centers.models import Center, Role
from demo.services import _staff
from listening.models import Feedback, OutreachVisit
from listening.services import interview_save
from services.models import Need, ServiceCategory

NEIGHBOURHOODS = {
    "Ankara": [("Altındağ", "Önder"), ("Altındağ", "Ulubey"), ("Keçiören", "Ayvalı"), ("Mamak", "Şahintepe")],
    "Istanbul": [("Sultanbeyli", "Mehmet Akif"), ("Esenyurt", "Pınar"), ("Fatih", "Aksaray")],
    "Konya": [("Karatay", "Fetih"), ("Meram", "Yenişehir"), ("Selçuklu", "Sancak")],
    "Şanlıurfa": [("Haliliye", "Yenişehir"), ("Eyyübiye", "Akabe"), ("Karaköprü", "Seyrantepe")],
}
# How often migrants and host-community respondents name each need (weights).
MIGRANT_NEEDS = {
    Need.LANGUAGE: 30,
    Need.EMPLOYMENT: 24,
    Need.CHILDREN_EDUCATION: 16,
    Need.HEALTH: 12,
    Need.LEGAL: 12,
    Need.FOOD_CASH: 10,
    Need.SHELTER: 8,
    Need.VOCATIONAL: 10,
    Need.PSYCHOSOCIAL: 7,
    Need.SOCIAL_COHESION: 4,
    Need.OTHER: 2,
}
HOST_NEEDS = {
    Need.EMPLOYMENT: 20,
    Need.SOCIAL_COHESION: 14,
    Need.CHILDREN_EDUCATION: 10,
    Need.HEALTH: 8,
    Need.VOCATIONAL: 8,
    Need.FOOD_CASH: 5,
    Need.PSYCHOSOCIAL: 4,
    Need.OTHER: 2,
}
QUOTES = [
    "أريد أن أتعلم التركية حتى أتكلم مع الطبيب بنفسي",
    "Çocuğum okula kayıt olamıyor, belge istiyorlar",
    "I have worked as a tailor for twenty years, I need a machine and a job",
    "ما في شغل، والإيجار كل شهر يزيد",
    "Komşularımızla tanışmak isteriz, ortak etkinlik olsa iyi olur",
    "Kimlik belgem başka ilde, nasıl nakil yapacağımı bilmiyorum",
    "Mes enfants ont besoin d'aide pour les devoirs en turc",
    "الأطفال يحتاجون مكان آمن للعب",
    "Kadınlar için akşam kursu olsa katılırım",
    "",
    "",
    "",
]
FEEDBACK = [
    ("suggestion", "Turkish classes in the evening, for those who work during the day.", None),
    ("complaint", "The waiting list for tailoring is too long.", "B"),
    ("thanks", "Thank you to the teachers of the homework club.", "A"),
    ("question", "Is there a course for driving licence theory?", "B"),
    ("complaint", "Nobody answered the phone on Tuesday.", "E"),
    ("suggestion", "A women-only hour at the computer room.", "B"),
    ("thanks", "The neighbours' tea brought us together.", "F"),
    ("question", "Where can I renew my residence permit?", "E"),
]
SENSITIVE = ("complaint", "A staff member asked for money to put my name on the list.", "B")


def _weighted(rng, weights: dict, k: int) -> list[str]:
    needs, chosen = dict(weights), []
    for _ in range(k):
        need = rng.choices(list(needs), weights=list(needs.values()))[0]
        chosen.append(need.value)
        needs.pop(need)
    return chosen


def outreach_visit(rng, *, center, day, place, worker, people: tuple[int, int], host_share: float) -> int:
    """One visit to a neighbourhood and the people asked there, as staff record them; how many were asked."""
    district, neighbourhood = place
    visit = OutreachVisit.objects.create(
        center=center,
        date=day,
        district=district,
        neighbourhood=neighbourhood,
        households_visited=rng.randint(6, 25),
        created_by=worker,
    )
    visit.staff.add(worker)
    asked = rng.randint(*people)
    for _ in range(asked):
        host = rng.random() < host_share
        needs = _weighted(rng, HOST_NEEDS if host else MIGRANT_NEEDS, rng.choice([1, 2, 3, 3]))
        interview_save(
            visit=visit,
            by=worker,
            submission_id=f"demo:{uuid.UUID(int=rng.getrandbits(128))}",
            needs=needs,
            respondent_sex=rng.choice(["female", "female", "male"]),
            age_band=rng.choice(["age_18_59"] * 6 + ["age_60_plus", "age_12_17"]),
            population_group="host_community"
            if host
            else rng.choice(["temporary_protection"] * 4 + ["international_protection"]),
            nationality="TR" if host else rng.choice(["SY"] * 5 + ["AF", "IQ", "IR"]),
            beneficiary=None,
            quote=rng.choice(QUOTES),
        )
    return asked


@transaction.atomic
def seed(*, rng: random.Random) -> dict[str, tuple[int, int, int]]:
    """Per centre: (visits, interviews, feedback). Skips a centre that already has visits (idempotent)."""
    today = timezone.localdate()
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    done = {}
    for center in Center.objects.filter(status=Center.Status.OPEN, opened_on__isnull=False).order_by("code"):
        if OutreachVisit.objects.filter(center=center).exists():
            continue
        worker = _staff(center, Role.SOCIAL_WORKER)
        reception = _staff(center, Role.RECEPTION) or worker
        manager = _staff(center, Role.CENTER_MANAGER) or worker
        if worker is None:
            continue
        places = NEIGHBOURHOODS.get(center.city, NEIGHBOURHOODS["Ankara"])
        visits = interviews = feedback = 0
        for days_ago in range(360, -1, -12):
            day = today - dt.timedelta(days=days_ago)
            if day < center.opened_on:
                continue
            visits += 1
            interviews += outreach_visit(
                rng,
                center=center,
                day=day,
                place=rng.choice(places),
                worker=worker,
                people=(3, 8),
                host_share=0.2,
            )
        for days_ago in range(355, -1, -9):
            kind, text, category = SENSITIVE if days_ago == 40 else rng.choice(FEEDBACK)
            received = today - dt.timedelta(days=days_ago)
            closed = days_ago > 45 and rng.random() < 0.9  # the last weeks stay open: some past 14 days
            Feedback.objects.create(
                center=center,
                kind=kind,
                channel=rng.choice(["box", "box", "desk", "phone", "outreach"]),
                category=categories.get(category),
                received_on=received,
                text=text,
                anonymous=rng.random() < 0.5,
                sensitive=(kind, text, category) == SENSITIVE,
                received_by=reception,
                status="closed" if closed else rng.choice(["open", "in_progress"]),
                answer="We discussed it at the staff meeting and answered by phone." if closed else "",
                closed_on=received + dt.timedelta(days=rng.randint(1, 12)) if closed else None,
                closed_by=manager if closed else None,
            )
            feedback += 1
        done[center.code] = (visits, interviews, feedback)
    return done
