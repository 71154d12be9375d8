"""`voisinage audit witness --cosign-key` over real HTTP: the log keeps the cosignature of a
known witness, refuses an unknown one, and shows the last cosigned checkpoint to auditors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_tampering import Served, env_for

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).parents[1] / "pages"))
from api_support import PASSWORD, close_api, drive, make_api
from app_support import settle
from pages_support import csrf_of

from domain.cosignature import Cosigner


def test_a_known_witness_cosigns_and_the_auditor_sees_it(tmp_path):
    witness_key = Cosigner.generate("slrb.example/witness")
    stranger = Cosigner.generate("elsewhere.example/witness")
    api = make_api(
        f"sqlite:///{tmp_path / 'voisinage.sqlite'}",
        WITNESS_KEYS=witness_key.verifier.encode(),
        CHECKPOINT_EVERY_EVENTS=1,
        CHECKPOINT_EVERY_SECONDS=0,
    )
    served = Served(api.flask_app)
    secrets = api.flask_app.config["SECRETS"]
    key = secrets.checkpoint_signer.verifier.encode()
    try:
        drive(api, "proposals")
        settle(api.flask_app, 30)
        key_file = tmp_path / "witness.key"
        key_file.write_text(witness_key.encode())
        stranger_file = tmp_path / "stranger.key"
        stranger_file.write_text(stranger.encode())

        def run(*extra: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [
                    *(sys.executable, "-m", "web.cli", "audit", "witness", served.url),
                    *("--key", key, "--state", str(tmp_path / "state"), *extra),
                ],
                env=env_for(tmp_path, secrets),
                capture_output=True,
                text=True,
                timeout=60,
            )

        kept = run("--cosign-key", str(key_file))
        assert kept.returncode == 0, kept.stderr
        assert "kept the cosignature of slrb.example/witness" in kept.stdout
        size = int((tmp_path / "state" / "checkpoint").read_text().split("\n")[1])

        refused = run("--cosign-key", str(stranger_file))
        assert refused.returncode == 2 and "403" in refused.stderr, refused.stderr

        seen = api.ok("GET", "/audit/witnesses")["witnesses"]
        assert [(w["witness"], w["size"]) for w in seen] == [("slrb.example/witness", size)]
        auditor = api.flask_app.test_client()
        form = auditor.get("/sign-in")
        signed = auditor.post(
            "/sign-in",
            data={
                "email": "auditor@api.example",
                "password": PASSWORD,
                "csrf_token": csrf_of(form),
            },
        )
        assert signed.status_code == 303
        page = auditor.get("/audit/verify", headers={"Accept-Language": "nl"}).get_data(
            as_text=True
        )
        assert "Getuigen" in page and "slrb.example/witness" in page
        assert f"{size} gebeurtenissen" in page

        # a forged checkpoint (never signed by the log) is refused even from a known witness
        forged = (tmp_path / "state" / "checkpoint").read_text().replace(f"\n{size}\n", "\n1\n")
        answer = api.flask_app.test_client().post("/checkpoint/cosignature", data=forged)
        assert answer.status_code == 422
    finally:
        served.close()
        close_api(api)
