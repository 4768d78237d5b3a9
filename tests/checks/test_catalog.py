"""The check catalogue covers every id the checks, the farm's truth and DESIGN.md use."""

from govinspect.checks.catalog import CATALOG, FAMILIES, is_known
from govinspect.demo import CHECK_IDS, DETECTOR_CHECK_IDS
from govinspect.report.labels import check_label, family_of

DESIGN_IDS = {
    "column.unreadable",
    "security.content_injection",
    "interact.slow_reply",
    "service.none",
    "security.tls",
    *(
        f"newmedia.{n}"
        for n in (
            "stale",
            "zombie",
            "no_interaction",
            "advert",
            "unverified",
            "unregistered",
            "subject_mismatch",
        )
    ),
}


def test_design_and_farm_ids_are_known():
    assert set(CATALOG) >= DESIGN_IDS
    assert set(CHECK_IDS) | set(DETECTOR_CHECK_IDS) <= set(CATALOG)
    assert not is_known("links.brokn_home") and is_known("bonus.innovation")


def test_findings_on_the_farm_carry_only_catalogued_evidence(farm_run):
    for outcome in farm_run.outcomes.values():
        for f in outcome.inspection.findings:
            info = CATALOG[f.check]
            assert set(f.evidence) <= set(info.evidence), (
                f.check,
                sorted(set(f.evidence) - set(info.evidence)),
            )


def test_labels_and_families_come_from_the_catalogue():
    assert check_label("security.content_injection") == CATALOG["security.content_injection"].label
    assert family_of("interact.slow_reply") == "互动回应" and family_of("newmedia.stale") == "其他"
    assert family_of("column.unreadable") in FAMILIES
