"""CSRF, roles, escaping and language choice of the pages."""

from __future__ import annotations

from pages_support import csrf_of, join, page_text, sign_in

from domain.roles import Role


def test_post_without_csrf_token_is_400(site):
    client = site.client()
    client.get(f"/p/{site.pid}/join")
    response = client.post(f"/p/{site.pid}/join", data={"code": site.code()})
    assert response.status_code == 400


def test_post_with_another_sessions_token_is_400(site):
    other = site.client()
    token = csrf_of(other.get(f"/p/{site.pid}/join"))
    client = site.client()
    client.get(f"/p/{site.pid}/join")
    response = client.post(f"/p/{site.pid}/join", data={"code": site.code(), "csrf_token": token})
    assert response.status_code == 400


def test_vote_without_token_is_400_and_records_nothing(site):
    client = site.client()
    join(client, site)
    before = site.voisinage.head_position()
    response = client.post(
        f"/p/{site.pid}/ballot", data={"choice": [str(site.demo.proposal_ids[0])]}
    )
    assert response.status_code == 400
    assert site.voisinage.head_position() == before


def test_staff_sign_in_wrong_password_is_401_with_message(site):
    client = site.client()
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "email": "slrb@demo.voisinage.brussels",
            "password": "nope",
            "csrf_token": csrf_of(form),
        },
    )
    assert response.status_code == 401
    assert "Unknown e-mail or wrong password." in page_text(response)


def test_staff_pages_need_the_right_role(site):
    anonymous = site.client()
    response = anonymous.get(f"/p/{site.pid}/facilitate")
    assert response.status_code == 303 and "/sign-in?next=" in response.location
    resident = site.client()
    join(resident, site)
    assert resident.get(f"/p/{site.pid}/moderation").status_code == 403
    assert resident.get("/audit/events").status_code == 403
    institution = site.client()
    sign_in(institution, Role.INSTITUTION)
    assert institution.get(f"/p/{site.pid}/facilitate").status_code == 403
    assert institution.get(f"/p/{site.pid}/ballot").status_code == 403


def test_sign_in_goes_back_only_to_local_pages(site):
    client = site.client()
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "email": "animatrice@demo.voisinage.brussels",
            "password": "voisinage-demo",
            "next": "https://evil.example/",
            "csrf_token": csrf_of(form),
        },
    )
    assert response.status_code == 303 and response.location == "/"


def test_language_switch_is_remembered(site):
    client = site.client(language="en")
    assert '<html lang="en">' in page_text(client.get("/"))
    response = client.get("/language/nl", query_string={"next": f"/p/{site.pid}"})
    assert response.status_code == 303 and response.location == f"/p/{site.pid}"
    assert "voisinage_lang=nl" in response.headers["Set-Cookie"]
    html = page_text(client.get(f"/p/{site.pid}"))
    assert '<html lang="nl">' in html and "Waar we staan" in html
    assert "Gluren bij de buren" in html  # the process's own title in Dutch
    # another page, still Dutch
    assert "Voorstellen" in page_text(client.get(f"/p/{site.pid}/proposals"))


def test_a_link_naming_a_language_opens_in_it_and_the_choice_is_remembered(site):
    client = site.client(language="fr")
    client.get("/language/fr")
    response = client.get(f"/p/{site.pid}", query_string={"lang": "nl"})
    html = page_text(response)
    assert '<html lang="nl">' in html and "Waar we staan" in html
    assert "voisinage_lang=nl" in response.headers["Set-Cookie"]
    assert '<html lang="nl">' in page_text(client.get("/"))  # remembered
    unknown = client.get("/", query_string={"lang": "de"})
    assert '<html lang="nl">' in page_text(unknown) and "Set-Cookie" not in unknown.headers


def test_language_from_browser_then_french_fallback(site):
    assert '<html lang="nl">' in page_text(site.client(language="nl-BE,nl;q=0.9").get("/"))
    french = page_text(site.client(language="de-DE").get("/"))
    assert '<html lang="fr">' in french and "Donnez votre avis sur votre quartier" in french


def test_language_switch_refuses_foreign_redirects(site):
    response = site.client().get("/language/fr", query_string={"next": "//evil.example/x"})
    assert response.location == "/"


def test_hostile_text_is_escaped(site):
    from pages_support import open_workshop

    pid, wid = open_workshop(site)
    site.voisinage.record_contribution(
        site.demo.staff[Role.FACILITATOR],
        wid,
        kind="idea",
        text='<script>alert("x")</script><b>bold</b>',
        language="fr",
        on_behalf_of_group='<img src=x onerror="alert(1)">',
    )
    from app_support import settle

    settle(site.app)
    html = page_text(site.client().get(f"/p/{pid}/workshops/{wid}"))
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html
