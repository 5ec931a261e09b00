"""The blind portal itself: what its manifest says is there is there, and nothing in it is a real person's."""

from __future__ import annotations

import random
import re

import pytest

from tests.blind import synthetic
from tests.blind.portal import SEEDS, SLOW_PATH, build
from tests.blind.server import Table


def _id_valid(number: str) -> bool:
    return len(number) == 18 and synthetic.id_check_digit(number[:17]) == number[17]


def test_synthetic_numbers_pass_their_validators_and_use_never_issued_sequences():
    rng = random.Random(1)
    for _ in range(200):
        number = synthetic.id_number(rng)
        assert _id_valid(number) and number[14:16] == "00"
        card = synthetic.bank_card(rng)
        assert len(card) == 19 and synthetic.luhn_digit(card[:-1]) == card[-1]
        assert re.fullmatch(r"1[3-9]\d{9}", synthetic.mobile(rng))


@pytest.mark.parametrize("seed", SEEDS)
def test_every_planted_place_is_served_and_every_broken_link_is_not(seed):
    portal = build(seed)
    table = Table(portal.routes)
    for item in portal.manifest["planted"]:
        place = item.get("url") or item["column_url"]
        route = table.lookup(place)
        assert route is not None and route.status == 200, place
        if item["kind"] == "personal_data" and item["pii_type"] == "id_card" and item.get("format") is None:
            text = route.body.decode("gbk" if place.endswith(".doc") else "utf-8")
            assert any(_id_valid(n) for n in re.findall(r"(?<!\d)\d{17}[\dX](?!\d)", text)), place
    for broken in portal.manifest["broken_links"]:
        if broken["url"] == SLOW_PATH:
            continue
        route = table.lookup(broken["url"])
        while route is not None and route.status == 302:
            route = table.lookup(route.location)
        assert route is None or route.status >= 400, broken["url"]
    kinds = {p["kind"] for p in portal.manifest["planted"]}
    assert kinds == {"stale_column", "blank_column", "category_mismatch", "personal_data"}


def test_the_server_answers_as_old_iis_portals_do():
    table = Table(build(91).routes)
    assert table.lookup("/NEWS/ZWYW/") is table.lookup("/news/zwyw/index.html")
    assert table.lookup("/xxgk/list.jsp?pageIndex=2&catid=11") is table.lookup("/xxgk/list.jsp?catid=11&pageIndex=2")
    assert b"ym=2100-02" in table.lookup("/calendar.jsp?ym=2100-01").body      # the calendar never ends
    xls = next(p["url"] for p in build(91).manifest["planted"] if p.get("format") == "xls")
    assert table.lookup(xls.replace(" ", "%20").replace("临时救助", "%E4%B8%B4%E6%97%B6%E6%95%91%E5%8A%A9")) is not None
