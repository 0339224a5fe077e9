"""``data_encoding``: a text data file's encoding is UTF-8 or the one declared for it (L3-08 asks that the encoding and
the BOM be stated), without bytes invalid in that encoding; and no data file, a workbook included, holds text that
was read in the wrong encoding and saved so (mojibake: every cell of takamatsu-city opendata
menu_information/0084_202305.xlsx is U+FFFD and half-width katakana; noto-house-map's 170003_aed.csv is Shift_JIS
read as Latin-1, then saved as valid UTF-8)."""

from __future__ import annotations

from pydantic import Field

from guideline_lint.facts import Facts
from guideline_lint.facts.data import DataFileFacts
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.data.common import applies, files, location, none_observation, open_data_entry
from guideline_lint.kinds.data.rules import judge
from guideline_lint.model import Location, Status, Target, Text


class EncodingParams(Params):
    expected: list[str] = Field(default_factory=lambda: ["utf-8", "utf-8-sig"],
                                description="Python codec names accepted")
    bom_formats: list[str] = Field(default_factory=lambda: ["csv", "tsv"],
                                   description="formats where a UTF-8 BOM is fine (Excel needs it for CSV)")
    formats: list[str] = Field(default_factory=lambda: ["csv", "tsv", "json", "xlsx"],
                               description="formats judged; a workbook (no encoding of its own) for mojibake only")
    declared_field: str | None = Field(
        "encoding", description="key of the open_data entry that declares the encoding; a file in the declared "
                                "encoding passes, a file that contradicts its declaration fails")


WORKBOOK_FORMATS = frozenset({"xlsx"})  # judged for mojibake only

# Names people write for the encodings the collector tells apart, folded to the codec it reports.
_NAMES = {"utf8": "utf-8", "utf-8": "utf-8", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
          "cp932": "cp932", "ms932": "cp932", "windows-31j": "cp932", "euc-jp": "euc_jp", "euc_jp": "euc_jp",
          "eucjp": "euc_jp"}


def declared(text: str) -> tuple[str | None, bool | None]:
    """(codec, BOM or None when not said) of a declaration such as 'UTF-8 (BOM付き)' or 'Shift_JIS'."""
    lowered = text.strip().lower()
    name = lowered.split("(")[0].split("（")[0].split()[0] if lowered else ""
    bom = None
    if "bom" in lowered:
        bom = not any(word in lowered for word in ("なし", "無し", "無", "without", "no bom"))
    return _NAMES.get(name.replace(" ", "")), bom


def _contradiction(item: DataFileFacts, statement: str) -> Text | None:
    codec, bom = declared(statement)
    actual = "utf-8" if item.encoding == "utf-8-sig" else item.encoding
    if codec is None:
        return Text(ja=f"宣言された文字コード「{statement}」を判別できません",
                    en=f"the declared encoding '{statement}' is not one guideline-lint knows")
    if codec != actual or (bom is not None and bom != item.bom):
        return Text(ja=f"文字コードは {item.encoding_label} ですが、マニフェストでは「{statement}」と宣言されています",
                    en=f"the encoding is {item.encoding_label} but the manifest declares '{statement}'")
    return None


def _problem(item: DataFileFacts, params: EncodingParams, statement: str, invalid: int, garbled: int) -> Text | None:
    label = item.encoding_label or "?"
    if item.format in WORKBOOK_FORMATS:  # the workbook's XML is UTF-8 by the format; U+FFFD was saved in its text
        garbled += invalid
        invalid = 0
    elif statement:
        contradiction = _contradiction(item, statement)
        if contradiction is not None:
            return contradiction
    elif item.encoding not in params.expected:
        where = f"data.open_data[].{params.declared_field}"
        return Text(ja=f"文字コードが {label} で、マニフェスト（{where}）で宣言されていません",
                    en=f"the encoding is {label} and the manifest does not declare it ({where})")
    if item.bom and item.format not in params.bom_formats:
        return Text(ja=f"{item.format} に BOM があります", en=f"a BOM in a {item.format} file")
    if invalid:
        return Text(ja=f"{label} として不正なバイトが {invalid} か所あります",
                    en=f"{invalid} places with bytes invalid in {label}")
    if garbled:
        return Text(ja=f"別の文字コードで読み違えたまま保存された文字化けが {garbled} か所あります",
                    en=f"{garbled} places of mojibake: text read in the wrong encoding and saved so")
    return None


class DataEncodingKind(Kind):
    name = "data_encoding"
    target = Target.DATA
    Params = EncodingParams
    summary = Text(ja="テキストのデータファイルが UTF-8 か宣言どおりの文字コードで、不正なバイトがなく、"
                      "どのデータファイルにも文字化けした文字がない",
                   en="text data files are UTF-8 or in their declared encoding, without invalid bytes, and no data "
                      "file holds mojibake")

    def evaluate(self, params: EncodingParams, facts: Facts) -> list[Observation]:
        items = files(facts)
        if not items:
            return none_observation()
        observations = []
        for item in items:
            skipped = applies(item, params.formats, tabular=False)
            if skipped:
                observations.append(skipped)
                continue
            label = item.encoding_label or "?"
            found = judge(item)
            invalid = found.problem("invalid_bytes")
            garbled = found.problem("garbled_text")
            entry = open_data_entry(facts, item.path) or {}
            statement = str(entry.get(params.declared_field) or "") if params.declared_field \
                and item.format not in WORKBOOK_FORMATS else ""
            problem = _problem(item, params, statement, invalid.count, garbled.count)
            detail = {"encoding": label, "file": item.subject, "declared": statement}
            if problem is None:
                observations.append(Observation(Status.PASS, subject=item.subject, location=Location(file=item.subject),
                                                detail=detail))
                continue
            shown = [*invalid.occurrences, *garbled.occurrences]
            places = [location(item, o.row, o.column, o.value, None, o.line, found) for o in shown]
            observations.append(Observation(
                Status.FAIL, subject=item.subject,
                location=places[0] if places else Location(file=item.subject, value=label),
                occurrences=places[1:], more_occurrences=max(0, invalid.count + garbled.count - len(places)),
                detail={**detail, "problem": problem.ja, "problem_en": problem.en},
            ))
        return observations
