"""Text analysis: folding, tokens, stop words, contractions, irregular forms, CJK, limits."""

from __future__ import annotations

import pytest

from athena_kernel.memory.search.analyzer import Analyzer, AnalyzerConfig, fold_text


def test_lowercase_stem_and_stop_words() -> None:
    assert Analyzer().terms("The Dogs were RUNNING in the Parks") == ["dog", "run", "park"]


def test_possessives_and_contractions() -> None:
    a = Analyzer()
    assert a.terms("Caroline's dog") == ["carolin", "dog"]
    # contractions of stop words vanish; the apostrophe-free words keep their own meaning
    assert a.terms("she'll don't I'm") == []
    assert a.terms("shell well") == ["shell", "well"]
    assert a.terms("O'Neil") == ["oneil"]


def test_curly_apostrophes_are_straightened() -> None:
    assert Analyzer().terms("Caroline\u2019s don\u2019t") == Analyzer().terms("Caroline's don't")


def test_irregular_forms_map_to_base() -> None:
    a = Analyzer()
    assert a.terms("she went and bought children's books") == ["go", "buy", "child", "book"]
    assert Analyzer(AnalyzerConfig(irregular=False)).terms("went") == ["went"]


def test_unicode_folding() -> None:
    a = Analyzer()
    assert a.terms("Café NAÏVE façade") == a.terms("cafe naive facade")
    assert fold_text("Straße") == "strasse"
    assert fold_text("ﬁsh") == "fish"  # compatibility ligature
    assert a.terms("Ünïcödé") == ["unicod"]
    # accents of non-Latin/Greek/Cyrillic scripts are kept (they are letters there)
    assert fold_text("हिन्दी") == "हिन्दी"


def test_folding_can_be_turned_off() -> None:
    assert Analyzer(AnalyzerConfig(fold=False, stem=False)).terms("Café") == ["café"]


def test_cjk_runs_become_bigrams() -> None:
    a = Analyzer()
    assert a.terms("東京タワー") == ["東京", "京タ", "タワ", "ワー"]
    assert a.terms("東") == ["東"]
    # a query word inside a longer run still matches
    assert set(a.terms("京タ")) <= set(a.terms("東京タワー"))


def test_punctuation_underscores_and_numbers() -> None:
    a = Analyzer(AnalyzerConfig(stem=False))
    assert a.terms("snake_case e-mail 2023-05-08 v1.2!") == [
        "snake",
        "case",
        "e",
        "mail",
        "2023",
        "05",
        "08",
        "v1",
        "2",
    ]


def test_empty_and_stop_word_only_text() -> None:
    a = Analyzer()
    assert a.terms("") == []
    assert a.terms("   ...!?  ") == []
    assert a.terms("the and of what when") == []


def test_long_tokens_are_cut() -> None:
    a = Analyzer(AnalyzerConfig(max_token_chars=16))
    assert a.terms("x" * 1000) == ["x" * 16]


def test_options_turn_steps_off() -> None:
    assert Analyzer(AnalyzerConfig(stopwords=False, stem=False)).terms("The dogs") == [
        "the",
        "dogs",
    ]


def test_non_string_is_rejected() -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        Analyzer().terms(b"bytes")  # type: ignore[arg-type]


def test_config_round_trip() -> None:
    cfg = AnalyzerConfig(stem=False, max_token_chars=64)
    assert AnalyzerConfig.from_dict(cfg.to_dict()) == cfg
