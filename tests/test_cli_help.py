"""The command's help and usage errors in the reader's language: argparse's words too, from the catalogs."""
# ruff: noqa: RUF001
# (Chinese sentences are written with full-width punctuation: the tests check it.)

import argparse
import errno

import pytest

from capexmodel._present.cli import _asked_locale, _error_text, _Parser, _parser, _width, _wrap, main
from capexmodel._present.messages import translation
from tests.words import SIMPLIFIED_ONLY, english_words

#: What a help may cite in Latin letters beyond what the user types (options, metavars, choices):
#: standards, formats and a package by their names, example locales and the SEC's address as written.
CITED = (
    "CLDR",
    "CSV",
    "PNG",
    "SVG",
    "XBRL",
    "matplotlib",
    "zh_CN",
    "en_US",
    "zh_Hant_HK",
    "https://data.sec.gov",
    "https",
)

COMMANDS = {"capexmodel": [], "capexmodel report": ["report"], "capexmodel fetch sec": ["fetch", "sec"]}


@pytest.fixture
def environment(monkeypatch):
    """A clean locale environment and an 80-column terminal; returns a setter of LANG."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    return lambda value: monkeypatch.setenv("LANG", value)


def run(capsys, *arguments):
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def typed(parser):
    """What the user types, as the parser declares it: options, metavars, choices and commands, in every subcommand."""
    found = [parser.prog]
    for action in parser._actions:
        found.extend(action.option_strings)
        if isinstance(action.metavar, str):
            found.append(action.metavar)
        elif action.option_strings and action.nargs != 0:
            found.append(action.dest.upper())
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                found.append(name)
                found.extend(typed(subparser))
        elif action.choices:
            found.extend(action.choices)
    return found


def help_english(text):
    return english_words(text, also=(*typed(_parser()), *CITED))


# Help ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("lang", "words"), [("zh_CN.UTF-8", ("用法：", "选项：")), ("zh_TW.UTF-8", ("用法：", "選項："))]
)
def test_the_help_of_each_command_is_chinese_in_a_chinese_environment(capsys, environment, command, lang, words):
    environment(lang)
    status, out, err = run(capsys, *COMMANDS[command], "--help")
    assert (status, err) == (0, "")
    assert out.startswith(f"用法：{command} [-h]")
    assert all(word in out for word in words)
    assert help_english(out) == []
    if lang.startswith("zh_TW"):
        assert [char for char in SIMPLIFIED_ONLY if char in out] == []


@pytest.mark.parametrize(("locale", "heading"), [("zh_CN", "选项："), ("zh_TW", "選項："), ("zh_Hant_HK", "選項：")])
@pytest.mark.parametrize("spelling", ["apart", "joined"])
def test_the_report_help_follows_locale_whatever_the_environment(capsys, environment, locale, heading, spelling):
    environment("en_US.UTF-8")
    given = ["--locale", locale] if spelling == "apart" else [f"--locale={locale}"]
    status, out, _ = run(capsys, "report", "--help", *given)  # --help acts first: the locale is read ahead
    assert status == 0
    assert heading in out
    assert "显示此帮助信息并退出" in out or "顯示此說明訊息並退出" in out
    assert help_english(out) == []


def test_the_help_checks_would_see_english(capsys, environment):
    environment("en_US.UTF-8")
    status, out, _ = run(capsys, "report", "--help")
    assert status == 0
    assert out.startswith("usage: capexmodel report [-h]")
    assert {"options", "show", "help", "message", "exit", "status"} <= set(help_english(out))


@pytest.mark.usefixtures("environment")
def test_the_parser_without_words_is_english_as_the_english_catalog_writes_it():
    english = _parser()
    assert english.format_help() == _parser(translation("en_US")).format_help()
    text = english.format_help()
    assert text.startswith("usage: capexmodel [-h] [--version] {report,fetch} ...")
    assert "\npositional arguments:\n" in text
    assert "\noptions:\n" in text
    assert "  -h, --help      show this help message and exit" in text
    commands = next(action for action in english._actions if isinstance(action, argparse._SubParsersAction))
    report = commands.choices["report"]
    assert [action.help for action in report._actions][:2] == [
        "show this help message and exit",
        (
            "a CLDR locale for labels and numbers, such as zh_CN, en_US or zh_Hant_HK; labels are Chinese"
            " for zh locales, else English (default: the environment's, else en_US)"
        ),
    ]


def test_required_options_show_as_required_in_the_help_and_in_an_errors_usage(capsys, environment):
    environment("zh_CN.UTF-8")
    _, out, _ = run(capsys, "fetch", "sec", "--help")
    assert out.startswith("用法：capexmodel fetch sec [-h] --user-agent 'NAME EMAIL' --to DIR")
    _, _, err = run(capsys, "fetch", "sec", "1", "--user-agent", "Name a@b.example", "--refresh=yes")
    assert err.startswith("用法：capexmodel fetch sec [-h] --user-agent 'NAME EMAIL' --to DIR")


def test_a_chinese_help_is_wrapped_by_columns_and_its_usage_aligned(capsys, environment):
    environment("zh_CN.UTF-8")
    _, out, _ = run(capsys, "report", "--help")
    lines = out.splitlines()
    assert max(_width(line) for line in lines) <= 78  # argparse's width: the terminal's, less two
    prefix = "用法：capexmodel report "
    assert lines[1].startswith(" " * _width(prefix) + "[")  # the usage's lines align under its first option
    assert not any(line.lstrip().startswith(tuple("，。、；：）")) for line in lines)


# Usage errors ------------------------------------------------------------------------------------------------

ERRORS = {
    "year": (
        ["report", "--year", "x"],
        "capexmodel report：错误：参数--year：应为日历年份，如2024，实际为'x'",
        "capexmodel report: error: argument --year: expected a calendar year such as 2024, got 'x'",
    ),
    "format": (
        ["report", "--format", "xml"],
        "capexmodel report：错误：参数--format：无效的选择'xml'（可选：table、markdown、csv、json、html）",
        (
            "capexmodel report: error: argument --format: invalid choice: 'xml'"
            " (choose from table, markdown, csv, json, html)"
        ),
    ),
    "required": (
        ["fetch", "sec", "320193", "--user-agent", "Name a@b.example"],
        "capexmodel fetch sec：错误：缺少必需的参数：--to",
        "capexmodel fetch sec: error: the following arguments are required: --to",
    ),
}


@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("how", ["option", "environment"])
def test_usage_errors_are_chinese_under_a_chinese_locale(capsys, environment, error, how):
    arguments, chinese, _ = ERRORS[error]
    if how == "option":
        environment("en_US.UTF-8")
        arguments = [*arguments, "--locale", "zh_CN"]  # fetch sec has no --locale: it is read ahead all the same
    else:
        environment("zh_CN.UTF-8")
    status, out, err = run(capsys, *arguments)
    assert (status, out) == (2, "")
    assert err.startswith("用法：capexmodel ")
    assert err.endswith(f"\n{chinese}\n")


@pytest.mark.parametrize("error", ERRORS)
def test_usage_errors_are_english_under_an_english_locale(capsys, environment, error):
    arguments, _, english = ERRORS[error]
    environment("zh_CN.UTF-8")
    status, out, err = run(capsys, *arguments, "--locale", "en_US")
    assert (status, out) == (2, "")
    assert err.startswith("usage: capexmodel ")
    assert err.endswith(f"\n{english}\n")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["frobnicate"], "capexmodel：错误：参数{report,fetch}：无效的选择'frobnicate'（可选：report、fetch）"),
        (["fetch"], "capexmodel fetch：错误：缺少必需的参数：{sec}"),
        (["fetch", "sec", "--user-agent", "x", "--to", "d"], "capexmodel fetch sec：错误：缺少必需的参数：CIK"),
        (["report", "--year"], "capexmodel report：错误：参数--year：缺少一个值"),
        (["report", "--c", "meta"], "capexmodel report：错误：选项--c有歧义，可能是--companies、--chart"),
        (["report", "extra"], "capexmodel：错误：无法识别的参数：extra"),
        (
            ["report", "--companies", "meta,"],
            "capexmodel report：错误：参数--companies：应为以逗号分隔的公司代号或名称，实际为'meta,'（含空名称）",
        ),
        (
            ["report", "--locale", "xx_YY"],
            "capexmodel report：错误：参数--locale：未知的区域设置'xx_YY'：应为CLDR区域设置，如zh_CN或en_US",
        ),
        (["report", "--output", ""], "capexmodel report：错误：参数--output：应为文件或文件夹名称，实际为''"),
        (["report", "--chart", "a\0b"], "capexmodel report：错误：参数--chart：应为文件或文件夹名称，实际为'a\\x00b'"),
    ],
)
def test_every_usage_error_the_parser_finds_is_said_in_the_readers_words(capsys, environment, arguments, expected):
    environment("zh_CN.UTF-8")  # a malformed --locale falls back to it, and is reported in it
    status, out, err = run(capsys, *arguments)
    assert (status, out) == (2, "")
    assert err.endswith(f"\n{expected}\n")


def test_an_abbreviated_option_is_still_understood(capsys, environment):
    environment("en_US.UTF-8")
    status, out, _ = run(capsys, "report", "--form", "csv", "--companies", "meta")
    assert status == 0
    assert out.startswith("section,company,metric")


def test_a_path_holding_a_nul_character_is_a_usage_error_not_a_traceback(capsys, environment):
    environment("en_US.UTF-8")
    status, _, err = run(capsys, "report", "--output", "report\0.txt")
    assert status == 2
    assert err.endswith("error: argument --output: expected a file or folder name, got 'report\\x00.txt'\n")


# The parts --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["report", "--locale", "zh_TW"], "zh_TW"),
        (["report", "--locale=zh-HK"], "zh_HK"),
        (["report", "--locale", "zh_TW", "--locale", "en_US"], "en_US"),  # the last, as argparse takes it
        (["report", "--locale", "xx_YY"], None),  # malformed: the environment's, and the parse says why
        (["report", "--locale"], None),
        (["report", "--", "--locale", "zh_TW"], None),  # after --, an argument, not an option
        # Abbreviated, as argparse reads it; "--l" is no other option's start.
        (["report", "--loc=zh_CN"], "zh_CN"),
        (["report", "--l", "zh_TW", "--year", "x"], "zh_TW"),
        (["report", "--locale", "zh_CN", "--loc=zh_TW"], "zh_TW"),
        (["report", "--", "--loc=zh_TW"], None),
        (["report", "--lo"], None),
        (["report", "--list", "zh_TW"], None),  # not a prefix of --locale
        # A value that is no locale, or none, leaves the language already asked for.
        (["report", "--locale=zh_CN", "--locale"], "zh_CN"),
        (["report", "--locale", "zh_CN", "--locale", "xx_YY"], "zh_CN"),
    ],
)
def test_the_locale_is_read_ahead_of_the_parse(argv, expected):
    assert _asked_locale(argv) == expected


def test_no_other_option_starts_as_locale_does():
    # `_asked_locale` reads any start of --locale from "--l" on as --locale, as argparse would.
    parser = _parser()
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    parsers = [parser, *commands.choices.values()]
    for sub in list(parsers):
        parsers.extend(
            choice
            for action in sub._actions
            if isinstance(action, argparse._SubParsersAction)
            for choice in action.choices.values()
        )
    options = {option for each in parsers for action in each._actions for option in action.option_strings}
    assert "--locale" in options
    assert [option for option in options if option.startswith("--l")] == ["--locale"]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["report", "--loc=zh_CN", "--year", "x"], "capexmodel report：错误：参数--year："),
        (["report", "--locale", "zh_CN", "--loc=zh_TW", "--year", "x"], "capexmodel report：錯誤：參數--year："),
        (["report", "--locale=zh_CN", "--locale"], "capexmodel report：错误：参数--locale："),
    ],
)
def test_the_usage_error_speaks_the_language_the_report_would(capsys, environment, argv, error):
    environment("en_US.UTF-8")
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith("用法：capexmodel report ")
    assert err.splitlines()[-1].startswith(error)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("资本支出（默认：table）", 10, ["资本支出", "（默认：", "table）"]),
        ("一二三，四五", 6, ["一二", "三，四", "五"]),  # a comma never starts a line
        ("在 https://data.sec.gov 下载", 8, ["在", "https://data.sec.gov", "下载"]),  # nor is a word split
        ("--format csv输出", 11, ["--format", "csv输出"]),
        ("", 10, []),
    ],
)
def test_chinese_text_is_wrapped_by_columns(text, width, expected):
    assert _wrap(text, width) == expected


def test_the_parser_names_and_words_arguments_of_other_kinds(capsys):
    parser = _Parser(words=translation("zh_CN"), prog="demo")
    group = parser.add_argument_group()  # a group without a heading
    group.add_argument("--pair", nargs=2)
    parser.add_argument("name")
    assert "--pair PAIR PAIR" in parser.format_help()
    with pytest.raises(SystemExit) as leaving:
        parser.parse_args([])
    assert leaving.value.code == 2
    assert capsys.readouterr().err.endswith("demo：错误：缺少必需的参数：name\n")
    with pytest.raises(SystemExit):
        parser.parse_args(["x", "--pair", "1"])
    assert capsys.readouterr().err.endswith("demo：错误：参数--pair：expected 2 arguments\n")  # argparse's words


@pytest.mark.parametrize(
    ("locale", "said"),
    [("zh_CN", "capexmodel：{dir}：是文件夹，不是文件\n"), ("zh_TW", "capexmodel：{dir}：是資料夾，不是檔案\n")],
)
def test_a_file_the_system_refuses_is_said_in_the_readers_words(capsys, tmp_path, locale, said):
    status, out, err = run(capsys, "report", "--locale", locale, "--companies", "meta", "--output", str(tmp_path))
    assert (status, out) == (1, "")
    assert err == said.format(dir=tmp_path)


def test_a_reason_the_command_has_no_words_for_is_the_systems():
    words = translation("zh_CN")
    assert _error_text(OSError(errno.EISDIR, "Is a directory", "x"), words) == "x：是文件夹，不是文件"
    too_long = OSError(errno.ENAMETOOLONG, "File name too long", "x")
    assert _error_text(too_long, words) == "x：File name too long"
    assert _error_text(OSError("no errno, no file"), words) == "no errno, no file"
