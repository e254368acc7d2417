"""Regenerate the ingest fixtures from the real seed: ``python tests/data/ingest/make_fixtures.py``.

Every fixture is derived from seeds/tianqiao_2023.txt (other encodings, a truncated copy) or is a
small bad input (empty, whitespace, binary, English, Latin-1, a non-fiscal Chinese notice).
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[2] / "seeds" / "tianqiao_2023.txt"


def main():
    text = SEED.read_text(encoding="utf-8")
    # GBK cannot hold U+00A0 (it occurs once in the seed): a space stands in, as a GBK editor would save it
    (HERE / "tianqiao_2023.gbk.txt").write_bytes(text.replace("\xa0", " ").encode("gbk"))
    (HERE / "tianqiao_2023.gb18030.txt").write_bytes(text.encode("gb18030"))
    (HERE / "tianqiao_2023.utf8bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (HERE / "tianqiao_2023.utf16.txt").write_bytes(text.encode("utf-16"))           # with BOM
    (HERE / "tianqiao_2023.utf16be.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    (HERE / "tianqiao_2023.crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    # truncated inside a multi-byte character, after the first part's figures
    data = text.encode("utf-8")
    cut = data.index("行政事业单位养老支出769.83万元".encode("utf-8")) + 4
    (HERE / "tianqiao_2023.truncated.txt").write_bytes(data[:cut])
    (HERE / "empty.txt").write_bytes(b"")
    (HERE / "whitespace.txt").write_bytes(b"  \n\t\r\n\xe3\x80\x80\n")
    (HERE / "binary_nul.bin").write_bytes(b"\x89PNx\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    (HERE / "binary_ctrl.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20]) * 40)
    (HERE / "english.txt").write_text(
        "Quarterly newsletter\n\nThe community garden opened on Saturday. Volunteers planted tomatoes,\n"
        "beans and sunflowers, and the library lent out forty gardening books.\n", encoding="utf-8")
    (HERE / "latin1.txt").write_bytes("Caf\xe9 r\xe9sum\xe9, na\xefve fa\xe7ade \xe0 la carte.\n".encode("latin-1"))
    (HERE / "news_zh.txt").write_text(
        "社区新闻\n\n本周六上午，街道文化中心举办了书法展览，吸引了许多居民前来参观。\n"
        "活动现场还设有亲子手工区，孩子们用彩纸制作了灯笼。\n", encoding="utf-8")


if __name__ == "__main__":
    main()
