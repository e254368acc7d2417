"""Regenerate the bad-input fixtures of tests/test_batch.py from the seed report.

    python tests/data/batch/make_fixtures.py

- tianqiao_2023_gbk.txt   the seed encoded as GBK (its only non-GBK character, U+00A0, written as a space,
                          which normalisation does anyway): must give the same figures as the UTF-8 seed
- tianqiao_2023_half.txt  the seed cut in half (first half of its characters, UTF-8)
- empty.txt               0 bytes
- binary.txt              a PNG header and NUL-rich bytes, named .txt
- english.txt             an English text, not a report
(an unreadable file — a dangling symlink / a missing path — is made by the tests themselves)
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[2] / "seeds" / "tianqiao_2023.txt"


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    (HERE / "tianqiao_2023_gbk.txt").write_bytes(text.replace("\xa0", " ").encode("gbk"))
    (HERE / "tianqiao_2023_half.txt").write_bytes(text[: len(text) // 2].encode("utf-8"))
    (HERE / "empty.txt").write_bytes(b"")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
    (HERE / "binary.txt").write_bytes(png + bytes((i * 37 + 11) % 256 for i in range(4096)))
    (HERE / "english.txt").write_text(
        "Annual Report 2023\n\n"
        "The department completed its work programme for the year. Total expenditure was 7,894.78 "
        "thousand yuan, an increase of 3.2% over the previous year, mainly because of higher spending on "
        "social security and employment. Staff numbers were unchanged at 120.\n\n"
        "This document is written in English and is not a Chinese departmental final-accounts report.\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
