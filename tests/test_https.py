"""HTTPS for a depot network: scripts/make-cert, gunicorn with the certificate, Secure cookies."""
import re
import subprocess

import requests

from tests.serving import ROOT, fresh_database, start


def test_self_signed_https_serves_the_app_with_secure_cookies(tmp_path):
    instance = tmp_path / "instance"
    made = subprocess.run([str(ROOT / "scripts/make-cert"), "127.0.0.1", "localhost"], cwd=ROOT,
                          env={"INVENTORY_INSTANCE_PATH": str(instance), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    cert, key = instance / "tls/cert.pem", instance / "tls/key.pem"
    with fresh_database(tmp_path) as url:
        server = start(url, instance, workers=1, tls=(cert, key))
        try:
            session = requests.Session()
            trust = str(cert)  # trust the self-signed certificate, as a phone would
            page = session.get(f"{server.url}/login", timeout=10, verify=trust)
            assert page.status_code == 200
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            response = session.post(f"{server.url}/login", allow_redirects=False, timeout=10,
                                    verify=trust, headers={"Referer": f"{server.url}/login"},
                                    data={"username": "keeper", "password": "serving-pass-1",
                                          "csrf_token": token})
            cookie = response.headers["Set-Cookie"]
            assert response.status_code == 302 and "Secure" in cookie and "HttpOnly" in cookie
            assert "Strict-Transport-Security" in response.headers
        finally:
            server.stop()
