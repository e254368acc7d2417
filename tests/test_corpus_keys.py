"""Every answer key under tests/corpus agrees with the text beside it (checks of tests/corpus/verify_gold.py).

The checker is stdlib-only and lives beside the keys; it is imported here by path. The last two tests
prove it can fail: a real key copied to tmp_path and spoilt in one place must be rejected.
"""
import importlib.util
import json
import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
_spec = importlib.util.spec_from_file_location("verify_gold", CORPUS / "verify_gold.py")
verify_gold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(verify_gold)

KEYS = verify_gold.all_keys(CORPUS)


def test_there_are_keys():
    assert len(KEYS) >= 19


@pytest.mark.parametrize("key", KEYS, ids=[str(k.relative_to(CORPUS)) for k in KEYS])
def test_key_agrees_with_its_text(key):
    errors, _warnings, _ = verify_gold.check_key(key)
    assert not errors, f"{key.relative_to(CORPUS)}: {len(errors)} problems\n" + "\n".join(errors)


def test_manifest_names_existing_files():
    errors, _warnings = verify_gold.check_manifest(KEYS, CORPUS)
    assert not errors, "\n".join(errors)


def _copy(tmp_path, stem="pages/017"):
    """A real key and its text, copied to tmp_path; returns the copy's path and its parsed key."""
    src = CORPUS / f"{stem}.gold.json"
    gold = tmp_path / src.name
    shutil.copy(src, gold)
    shutil.copy(CORPUS / f"{stem}.txt", tmp_path / src.name.replace(".gold.json", ".txt"))
    errors, _, _ = verify_gold.check_key(gold)
    assert errors == [], "the untouched copy must pass"
    return gold, json.loads(gold.read_text(encoding="utf-8"))


def _save(gold, key):
    gold.write_text(json.dumps(key, ensure_ascii=False), encoding="utf-8")
    errors, _, _ = verify_gold.check_key(gold)
    return errors


def test_checker_rejects_a_literal_not_in_the_text(tmp_path):
    gold, key = _copy(tmp_path)
    key["contradictions"][0]["literals"].append("9876.54")
    errors = _save(gold, key)
    assert any("'9876.54' not in text" in e for e in errors), errors


def test_checker_rejects_a_wrong_arithmetic_claim(tmp_path):
    gold, key = _copy(tmp_path)
    c = key["contradictions"][0]
    assert c["arithmetic"].startswith("489.18+46.89 = 536.07")
    c["arithmetic"] = "489.18+46.89 = 536.17 ≠ 911.7"
    errors = _save(gold, key)
    assert any("arithmetic wrong: 489.18+46.89 = 536.17" in e for e in errors), errors


def test_checker_rejects_a_figure_outside_its_evidence(tmp_path):
    gold, key = _copy(tmp_path)
    key["summary"][0]["amount_wan"] = 911.8
    errors = _save(gold, key)
    assert any("summary[0].amount_wan=911.8: number not in text" in e for e in errors), errors
