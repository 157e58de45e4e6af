"""The femto_records fixture, exercised in pytest subprocesses (pytester).

The plugin is found through the pytest11 entry point of the installed
package: the test files below never name it.
"""

pytest_plugins = ["pytester"]


def run(pytester, source, *args):
    pytester.makepyfile(test_sample=source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=120)


def test_records_messages_text_without_sleeping(pytester):
    result = run(pytester, """
        from femtologging import get_logger

        def test_it(femto_records):
            log = get_logger("app.db")
            for i in range(300):
                log.info(f"row {i}")
            log.error("done")
            assert len(femto_records.records) == 301
            assert femto_records.messages[:2] == ["row 0", "row 1"]
            last = femto_records.records[-1]
            assert (last.logger, last.level, last.levelno, last.message) == ("app.db", "ERROR", 40, "done")
            assert last.key_values == {} and last.exc_text is None
            assert femto_records.text.endswith("app.db [ERROR] done\\n")
            femto_records.clear()
            assert femto_records.records == []
            get_logger("app").warning("after clear")
            assert femto_records.messages == ["after clear"]
    """)
    result.assert_outcomes(passed=1)


def test_at_level_sets_and_restores(pytester):
    result = run(pytester, """
        from femtologging import get_logger

        def test_it(femto_records):
            log = get_logger("app.x")
            log.debug("hidden")
            with femto_records.at_level("DEBUG", logger="app.x"):
                log.debug("shown")
                assert log.get_level() == "DEBUG"
            assert log.get_level() is None
            with femto_records.at_level("ERROR"):
                log.warning("root at ERROR")
            assert get_logger("root").get_level() == "INFO"
            log.warning("again")
            assert femto_records.messages == ["shown", "again"]
    """)
    result.assert_outcomes(passed=1)


def test_inactive_unless_used(pytester):
    result = run(pytester, """
        import femtologging
        from femtologging import _native

        def test_not_using_the_fixture():
            # The plugin module was imported but loaded nothing.
            assert _native._lib is None

        def test_using_then_not(femto_records):
            pass

        def test_after(request):
            assert femtologging.get_logger("root").handlers == []
    """)
    result.assert_outcomes(passed=3)


def test_stdlib_records_and_caplog_while_capture_is_on(pytester):
    result = run(pytester, """
        import logging
        import pytest
        from femtologging import StdlibHandlerAdapter, get_logger, stdlib

        @pytest.fixture
        def bridged(caplog):
            stdlib.capture(level="INFO")
            adapter = StdlibHandlerAdapter(caplog.handler)
            get_logger("root").add_handler(adapter)
            yield
            get_logger("root").remove_handler(adapter)
            stdlib.release()

        def test_it(bridged, femto_records, caplog):
            logging.getLogger("requests").info("GET %s", "/x")
            get_logger("app").warning("from femtologging")
            assert sorted(femto_records.messages) == ["GET /x", "from femtologging"]
            assert sorted(r.getMessage() for r in caplog.records) == ["GET /x", "from femtologging"]
    """)
    result.assert_outcomes(passed=1)


def test_the_plugin_is_registered_by_entry_point(pytester):
    pytester.makepyfile(test_sample="def test_nothing(): pass")
    result = pytester.runpytest_subprocess("--fixtures", timeout=120)
    result.stdout.fnmatch_lines(["*femto_records*"])
