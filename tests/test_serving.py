"""The real stack: gunicorn workers on a file database (or PostgreSQL), with the demo data."""
import requests

from tests.serving import running_server


def test_gunicorn_serves_the_demo_with_tokens_from_the_cli(tmp_path):
    with running_server(tmp_path, workers=2) as server:
        headers = server.token("bureau")
        body = requests.get(f"{server.url}/api/v1/stock?unit=150603&per_page=5", headers=headers,
                            timeout=10).json()
        assert body["total"] > 100 and len(body["items"]) == 5
        page = requests.get(f"{server.url}/login", timeout=10)
        assert page.status_code == 200 and "登录" in page.text
        assert server.flask("verify-ledger").returncode == 0
