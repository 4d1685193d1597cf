"""Issue 16, PrestaShop (C7, C8): a product's images and documents uploaded as files.

The connector writes (:class:`PrestaShopShop`), downloading each published file from
the merchant's address (a loopback web server here); what the shop keeps is read raw
through ``GET /api/products``, ``/api/images/products/{id}/{image}`` and
``/api/attachments/file/{id}`` (``tests.conformance.readback.prestashop``). PrestaShop
redraws images (``image_key``); attachments are served unchanged (SHA-256).
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.demo_data import demo_document, demo_png
from passerelle.model import MediaRef, ProductDraft
from passerelle.sandbox.prestashop import DEMO_KEY
from passerelle.sandbox.prestashop.platform import PrestaShopPlatform, start
from tests.conformance.readback.prestashop import image_key, read_product
from tests.integration.catalogue_helpers import file_server
from tests.test_prestashop_shop_contract import _draft as contract_draft

RED, GREEN, BLUE, GREY = (
    demo_png((200, 30, 30)),
    demo_png((30, 160, 60)),
    demo_png((30, 60, 200)),
    demo_png((120, 120, 130)),
)
NOTICE = demo_document("notice-POT-003.pdf")
IMAGES = frozenset({"images"})


@dataclass
class World:
    platform: PrestaShopPlatform
    shop: PrestaShopShop
    published: Path
    url: str

    def publish(self, name: str, data: bytes) -> MediaRef:
        """The file as the flow publishes it (``flows/media.py``: digest-prefixed name)."""
        digest = hashlib.sha256(data).hexdigest()
        published = f"{digest[:16]}-{name}"
        (self.published / published).write_bytes(data)
        return MediaRef(published, self.url + published, digest)

    def write(self, *writes: ProductWrite) -> list[WriteOutcome]:
        self.platform.sandbox.reset_requests()
        return self.shop.write_products(list(writes))

    def files_sent(self) -> list[tuple[str, str]]:
        """The requests that sent or removed a file since the last write began."""
        return [
            (method, path)
            for method, path in self.platform.sandbox.requests
            if "/images/" in path or "/attachments" in path
            if method in ("POST", "PUT", "DELETE")
        ]

    def api(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        verify = ssl.create_default_context(cafile=str(self.platform.sandbox.ca_bundle))
        with httpx.Client(auth=(DEMO_KEY, ""), verify=verify) as client:
            return client.request(method, f"{self.platform.url}/api/{path}", **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    platform = start(tmp_path / "shop")
    shop = PrestaShopShop(
        platform.url,
        DEMO_KEY,
        options=HttpOptions(verify=platform.sandbox.ca_bundle, max_tries=1),
        tax_rules_groups={"standard": 1},
    )
    with file_server(tmp_path / "public") as url:
        try:
            yield World(platform, shop, tmp_path / "public", url)
        finally:
            shop.close()
            platform.stop()


def _draft(sku: str, *images: MediaRef, documents: tuple[MediaRef, ...] = ()) -> ProductDraft:
    """The shop contract's product (``tests/test_prestashop_shop_contract.py``) with files."""
    return contract_draft(sku, images=images, documents=documents)


def _bound(draft: ProductDraft, outcome: WriteOutcome) -> ProductDraft:
    """The draft as the flow's next run gives it: each file named by the shop id bound."""
    return replace(
        draft,
        images=tuple(replace(r, shop_id=outcome.media_ids[r.digest]) for r in draft.images),
        documents=tuple(replace(r, shop_id=outcome.media_ids[r.digest]) for r in draft.documents),
    )


def _ok(outcomes: list[WriteOutcome]) -> WriteOutcome:
    assert all(o.ok for o in outcomes), outcomes
    return outcomes[0]


def _keys(*data: bytes) -> tuple[str, ...]:
    return tuple(image_key(d) for d in data)


def test_a_new_product_shows_its_images_cover_first_and_its_documents_as_sent(
    world: World,
) -> None:
    red, grey, notice = (
        world.publish("a.png", RED),
        world.publish("b.png", GREY),
        world.publish("notice.pdf", NOTICE),
    )
    outcome = _ok(world.write(ProductWrite("POT", _draft("POT", red, grey, documents=(notice,)))))
    shown = read_product(world.platform, "POT")
    assert shown["images"] == _keys(RED, GREY)
    assert shown["documents"] == (hashlib.sha256(NOTICE).hexdigest(),)
    assert set(outcome.media_ids) == {red.digest, grey.digest, notice.digest}
    assert outcome.unsupported == ()
    # The customer downloads the document under its own name, not the published one.
    attachment = outcome.media_ids[notice.digest].removeprefix("attachment/")
    served = world.api("GET", f"attachments/file/{attachment}")
    assert served.headers["content-disposition"] == 'attachment; filename="notice.pdf"'


def test_an_update_with_the_files_the_shop_holds_sends_no_file(world: World) -> None:
    draft = _draft("POT", world.publish("a.png", RED), documents=(world.publish("n.pdf", NOTICE),))
    outcome = _ok(world.write(ProductWrite("POT", draft)))
    for path in world.published.iterdir():  # not even downloaded: nothing to fetch
        path.unlink()
    again = _ok(world.write(ProductWrite("POT", _bound(draft, outcome), shop_id=outcome.shop_id)))
    assert world.files_sent() == []
    assert again.media_ids == outcome.media_ids
    assert read_product(world.platform, "POT")["images"] == _keys(RED)


def test_the_shops_other_images_go_unless_kept_and_the_draft_order_is_shown(
    world: World,
) -> None:
    red, green, blue = (
        world.publish(f"{n}.png", d) for n, d in (("r", RED), ("g", GREEN), ("b", BLUE))
    )
    draft = _draft("POT", red, green)
    outcome = _ok(world.write(ProductWrite("POT", draft)))
    pid = str(outcome.shop_id)
    by_hand = world.api(
        "POST", f"images/products/{pid}", files={"image": ("hand.png", GREY, "image/png")}
    )
    assert by_hand.status_code == 200
    bound = _bound(draft, outcome)
    own = frozenset(outcome.media_ids.values())
    # Kept: the merchant's picture stays; the draft's new order is shown (green the cover).
    kept = replace(bound, images=(bound.images[1], bound.images[0], blue))
    outcome = _ok(
        world.write(
            ProductWrite("POT", kept, pid, IMAGES, keep_other_images=True, own_media_ids=own)
        )
    )
    assert read_product(world.platform, "POT")["images"] == _keys(GREEN, RED, GREY, BLUE)
    # Replaced: only the draft's images, in its order (blue sent again after green).
    order = replace(bound, images=(bound.images[0], world.publish("b.png", BLUE), bound.images[1]))
    _ok(world.write(ProductWrite("POT", order, pid, IMAGES, own_media_ids=own)))
    assert read_product(world.platform, "POT")["images"] == _keys(RED, BLUE, GREEN)


def test_a_variations_picture_is_its_products_and_follows_the_variation(world: World) -> None:
    red, blue = world.publish("r.png", RED), world.publish("b.png", BLUE)
    parent = replace(_draft("TSH", red), kind="variable")
    made = _ok(world.write(ProductWrite("TSH", parent)))
    pid = str(made.shop_id)
    variation = replace(
        _draft("TSH-RED", replace(red, shop_id=made.media_ids[red.digest])),
        kind="variation",
        variation_options=(("Couleur", "Rouge"),),
    )
    other = replace(
        _draft("TSH-BLUE", blue), kind="variation", variation_options=(("Couleur", "Bleu"),)
    )
    outcomes = world.shop.write_variations(
        pid, [ProductWrite("TSH-RED", variation), ProductWrite("TSH-BLUE", other)]
    )
    assert all(o.ok for o in outcomes), outcomes
    assert read_product(world.platform, "TSH-RED")["images"] == _keys(RED)
    assert read_product(world.platform, "TSH-BLUE")["images"] == _keys(BLUE)
    # The product's own write keeps the picture a combination shows.
    bound = _bound(parent, made)
    _ok(world.write(ProductWrite("TSH", bound, pid, IMAGES)))
    assert read_product(world.platform, "TSH")["images"] == _keys(RED, BLUE)
    # The blue variation's picture changes: the old one leaves the product.
    blue_combination = outcomes[1]
    green = world.publish("g.png", GREEN)
    changed = replace(other, images=(green,))
    _ok(
        world.shop.write_variations(
            pid,
            [ProductWrite("TSH-BLUE", changed, blue_combination.shop_id, IMAGES)],
        )
    )
    assert read_product(world.platform, "TSH-BLUE")["images"] == _keys(GREEN)
    assert read_product(world.platform, "TSH")["images"] == _keys(RED, GREEN)


def test_a_file_that_cannot_be_downloaded_is_that_records_error_and_the_others_go_on(
    world: World,
) -> None:
    missing = MediaRef("0000000000000000-lost.png", world.url + "lost.png", "0" * 64)
    outcomes = world.write(
        ProductWrite("LOST", _draft("LOST", missing)),
        ProductWrite("POT", _draft("POT", world.publish("a.png", RED))),
    )
    lost, pot = outcomes
    assert pot.ok and not lost.ok
    assert "0000000000000000-lost.png" in str(lost.error) and "lost.png" in str(lost.error)
    assert "public_url" in str(lost.error)
    with pytest.raises(LookupError):  # not created without its picture
        read_product(world.platform, "LOST")
    assert read_product(world.platform, "POT")["images"] == _keys(RED)


def test_documents_are_replaced_and_passerelles_old_one_deleted(world: World) -> None:
    first = world.publish("notice.pdf", NOTICE)
    draft = _draft("POT", documents=(first,))
    outcome = _ok(world.write(ProductWrite("POT", draft)))
    pid = str(outcome.shop_id)
    own = frozenset(outcome.media_ids.values())
    merchant = world.api(
        "POST",
        "attachments/file",
        files={"file": ("cgv.pdf", b"%PDF cgv", "application/pdf")},
        data={"name": "CGV"},
        params={"output_format": "JSON"},
    ).json()["attachment"]
    current = world.api("GET", f"products/{pid}", params={"output_format": "JSON"})
    body = current.json()["product"]
    first_id = outcome.media_ids[first.digest].removeprefix("attachment/")
    links = "".join(f"<attachment><id>{a}</id></attachment>" for a in (first_id, merchant["id"]))
    world.api(
        "PUT",
        f"products/{pid}",
        content=(
            f"<prestashop><product><id>{pid}</id><price>{body['price']}</price>"
            f"<reference>POT</reference><associations><attachments>{links}</attachments>"
            "</associations></product></prestashop>"
        ),
    )
    second = world.publish("notice-v2.pdf", NOTICE + b"v2")
    kept = replace(draft, documents=(second,))
    _ok(
        world.write(
            ProductWrite(
                "POT",
                kept,
                pid,
                frozenset({"documents"}),
                keep_other_images=True,
                own_media_ids=own,
            )
        )
    )
    assert read_product(world.platform, "POT")["documents"] == (
        hashlib.sha256(NOTICE + b"v2").hexdigest(),
        hashlib.sha256(b"%PDF cgv").hexdigest(),
    )
    assert world.api("GET", f"attachments/{first_id}").status_code == 404  # deleted


def test_a_variations_documents_are_reported_not_supported(world: World) -> None:
    made = _ok(world.write(ProductWrite("TSH", replace(_draft("TSH"), kind="variable"))))
    variation = replace(
        _draft("TSH-RED", documents=(world.publish("n.pdf", NOTICE),)),
        kind="variation",
        variation_options=(("Couleur", "Rouge"),),
    )
    (outcome,) = world.shop.write_variations(
        str(made.shop_id), [ProductWrite("TSH-RED", variation)]
    )
    assert outcome.ok and "documents" in outcome.unsupported


def test_the_link_rewrite_follows_a_new_name_unless_the_slug_policy_keeps_it(
    world: World,
) -> None:
    """Issue 16's "link rewrite updated when the name changes, as an option": the option
    is the update policy ``slug`` (C15): "overwrite" (the default) writes the name's
    slug with the new name, "keep" leaves the shop's ``link_rewrite`` alone."""
    draft = _draft("POT")
    pid = str(_ok(world.write(ProductWrite("POT", draft))).shop_id)
    renamed = replace(draft, name="Cocotte en fonte émaillée")
    _ok(world.write(ProductWrite("POT", renamed, pid, frozenset({"name", "slug"}))))
    assert read_product(world.platform, "POT")["slug"] == "cocotte-en-fonte-emaillee"
    again = replace(draft, name="Faitout")
    _ok(world.write(ProductWrite("POT", again, pid, frozenset({"name"}))))
    shown = read_product(world.platform, "POT")
    assert (shown["name"], shown["slug"]) == ("Faitout", "cocotte-en-fonte-emaillee")


def test_kept_the_merchants_picture_on_a_variation_stays_linked(world: World) -> None:
    made = _ok(world.write(ProductWrite("TSH", replace(_draft("TSH"), kind="variable"))))
    pid = str(made.shop_id)
    red = world.publish("r.png", RED)
    variation = replace(
        _draft("TSH-RED", red), kind="variation", variation_options=(("Couleur", "Rouge"),)
    )
    (first,) = world.shop.write_variations(pid, [ProductWrite("TSH-RED", variation)])
    by_hand = world.api(
        "POST",
        f"images/products/{pid}",
        files={"image": ("hand.png", GREY, "image/png")},
        params={"output_format": "JSON"},
    ).json()["image"]["id"]
    combination = str(first.shop_id).partition("/")[2]
    record = world.api(
        "GET", f"combinations/{combination}", params={"output_format": "JSON"}
    ).json()["combination"]
    world.api(
        "PUT",
        f"combinations/{combination}",
        content=(
            f"<prestashop><combination><id>{combination}</id><id_product>{pid}</id_product>"
            f"<minimal_quantity>1</minimal_quantity><reference>TSH-RED</reference>"
            f"<price>{record['price']}</price><associations><images>"
            f"<image><id>{first.media_ids[red.digest].partition('/')[2]}</id></image>"
            f"<image><id>{by_hand}</id></image></images></associations>"
            "</combination></prestashop>"
        ),
    )
    green = replace(variation, images=(world.publish("g.png", GREEN),))
    own = frozenset(first.media_ids.values())
    (outcome,) = world.shop.write_variations(
        pid,
        [
            ProductWrite(
                "TSH-RED", green, first.shop_id, IMAGES, keep_other_images=True, own_media_ids=own
            )
        ],
    )
    assert outcome.ok, outcome
    assert sorted(read_product(world.platform, "TSH-RED")["images"]) == sorted(_keys(GREEN, GREY))
    # The red picture, the product's cover since it was its first image, is not removed
    # by a variation's write; the product's own write removes it (no combination shows it).
    assert read_product(world.platform, "TSH")["images"] == _keys(RED, GREY, GREEN)
    _ok(world.write(ProductWrite("TSH", replace(_draft("TSH"), kind="variable"), pid, IMAGES)))
    assert read_product(world.platform, "TSH")["images"] == _keys(GREY, GREEN)


def test_an_image_the_shop_refuses_is_the_records_error_naming_the_file(world: World) -> None:
    webp = world.publish("photo.webp", RED)  # PrestaShop takes GIF, JPEG and PNG only
    (outcome,) = world.write(ProductWrite("POT", _draft("POT", webp)))
    assert not outcome.ok
    assert "photo.webp" in str(outcome.error) and "POT" in str(outcome.error)
    assert "Image format not recognized" in str(outcome.error)  # the shop's own words
