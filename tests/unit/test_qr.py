"""QR payloads: URLs that any host may carry, resolved by their path."""
from inventory.qr import Scanned, clean, parse, payload


def test_payload_is_the_contract_url():
    assert payload("lot", "1020101-2026A", "http://10.0.0.5:8000/") == "http://10.0.0.5:8000/q/T/1020101-2026A"
    assert payload("depot", "KBS-01", "https://x") == "https://x/q/D/KBS-01"


def test_parse_accepts_any_host_and_bare_paths():
    assert parse("http://10.0.0.5:8000/q/T/1020101-2026A") == Scanned("lot", "1020101-2026A")
    assert parse("https://reserve.example.gov.cn/q/D/KBS-01/") == Scanned("depot", "KBS-01")
    assert parse("/q/O/ORD-7") == Scanned("order", "ORD-7")
    assert parse("  http://h/q/T/A%2FB \n") == Scanned("lot", "A/B")


def test_parse_refuses_foreign_text():
    for text in ("", "hello", "http://h/x/T/1", "http://h/q/X/1", "http://h/q/T/", "http://h/q/T/a/b"):
        assert parse(text) is None


def test_round_trip():
    for kind, code in (("lot", "1010101-2024A"), ("depot", "KBS-ST01-C1"), ("order", "DO-2026-0001")):
        assert parse(payload(kind, code, "http://127.0.0.1:8000")) == Scanned(kind, code)


def test_clean_undoes_what_a_chinese_input_method_typed():
    assert clean("ｈｔｔｐ：／／１０．０．０．５：８０００／ｑ／Ｔ／１０２０１０１－２０２６Ａ") == \
        "http://10.0.0.5:8000/q/T/1020101-2026A"
    assert clean("http：、、10。0。0。5：8000、q、D、KBS——01\n") == "http://10.0.0.5:8000/q/D/KBS_01"
    assert clean("1020101-2026A") == "1020101-2026A"


def test_parse_reads_the_path_whatever_the_case_and_keeps_the_code_as_typed():
    assert parse("HTTP://10.0.0.5:8000/Q/t/1020101-2026a") == Scanned("lot", "1020101-2026a")
    assert parse("/q/d/kbs-01") == Scanned("depot", "kbs-01")
