"""The suite must notice deliberately broken implementations: exactly the tests of
the broken behaviour fail, and every other test still runs and passes."""

from __future__ import annotations

import pytest

# (implementation, suite files, test functions that must fail - and no others)
BROKEN = [
    (
        "broken.redirect_ignores_code",
        ("test_redirect.py",),
        {
            "test_redirect_uses_the_given_code",
            "test_redirect_code_can_be_positional",
            "test_redirect_accepts_codes_old_docs_refuse",
            "test_app_redirect_can_be_called_directly",
            "test_redirect_uses_an_overridden_app_redirect",
            "test_redirect_outside_an_app_uses_the_response_argument",
            "test_redirect_in_a_request_ignores_the_response_argument",
        },
    ),
    (
        "broken.no_url_for",
        ("test_url_for.py", "test_redirect.py"),
        {
            "test_values_fill_the_rule",
            "test_unknown_keys_go_to_the_query_string",
            "test_none_values_are_dropped",
            "test_list_values_repeat_the_key",
            "test_special_characters_are_percent_encoded",
            "test_anchor_appends_an_encoded_fragment",
            "test_anchor_comes_after_the_query_string",
            "test_method_selects_the_rule_for_that_method",
            "test_method_without_a_rule_is_a_build_error",
            "test_urls_in_a_request_are_relative_unless_external",
            "test_urls_outside_a_request_are_external_by_default",
            "test_server_name_settings_shape_urls_outside_a_request",
            "test_building_without_request_or_server_name_is_a_runtime_error",
            "test_url_for_outside_any_context_is_a_runtime_error",
            "test_scheme_sets_the_scheme_of_an_external_url",
            "test_scheme_applies_outside_a_request",
            "test_scheme_with_external_false_is_a_value_error",
            "test_unbuildable_urls_raise_build_error",
            "test_build_error_is_a_lookup_error",
            "test_build_error_handlers_get_error_endpoint_and_values",
            "test_first_handler_with_a_value_wins",
            "test_build_error_propagates_when_no_handler_gives_a_value",
            "test_handle_url_build_error_is_what_url_for_calls",
            "test_url_defaults_fill_in_values",
            "test_url_defaults_get_the_endpoint_and_a_mutable_dict",
            "test_url_for_calls_the_app_method",
            "test_redirect_to_url_for_stays_relative",
            "test_in_a_request_only_server_name_shapes_external_urls",
            "test_a_leading_dot_without_a_request_is_a_build_error",
            "test_a_rule_with_defaults_builds_the_short_url",
            "test_a_value_named_self_is_accepted",
            "test_build_error_handlers_get_the_special_arguments",
            "test_a_build_error_a_handler_raises_replaces_the_original",
        },
    ),
    (
        "broken.app_handlers_first",
        ("test_errors.py",),
        {"test_the_right_handler_answers"},
    ),
    (
        "broken.anchor_unquoted",
        ("test_url_for.py",),
        {"test_anchor_appends_an_encoded_fragment"},
    ),
    (
        "broken.no_vary_cookie",
        ("test_sessions.py", "test_session_interface.py", "test_session_interop.py", "test_flashing.py"),
        {
            "test_any_use_of_the_session_adds_vary_cookie",
            "test_using_an_empty_session_adds_vary_cookie",
            "test_writing_the_session_adds_vary_cookie",
            "test_vary_cookie_joins_the_views_own_vary_once",
            "test_the_cookie_deleting_response_varies_on_cookie",
            "test_a_refreshed_permanent_cookie_varies_even_untouched",
            "test_clearing_an_empty_session_still_deletes_the_cookie",
            "test_a_cookie_deleted_for_a_session_no_view_touched_still_varies",
            "test_session_use_counts_until_the_response_is_saved",
        },
    ),
    (
        "broken.flashes_kept",
        ("test_flashing.py", "test_session_interop.py", "test_sessions.py"),
        {
            "test_messages_are_gone_once_read",
            "test_a_filtered_read_still_consumes_every_message",
            "test_templates_read_flashed_messages",
            "test_a_message_flashed_and_read_in_one_request_is_consumed",
            "test_a_message_flashed_after_a_read_waits_for_the_next_request",
            "test_flashes_survive_an_error_response",
            "test_an_http_error_handler_reads_what_the_view_flashed",
        },
    ),
    (
        "broken.no_create_app",
        ("test_cli_discovery.py",),
        {
            "test_discovery_loads_the_expected_app",
            "test_discovery_failure_is_a_usage_error_naming_the_cause",
            "test_script_info_loads_the_expected_app",
            "test_script_info_failure_raises_no_app_exception",
            "test_a_factorys_own_type_error_propagates",
        },
    ),
    (
        "broken.ignores_if_none_match",
        ("test_send_file.py",),
        {
            "test_conditional_requests_follow_the_table",
            "test_an_etag_string_is_sent_and_compared",
            "test_a_304_keeps_the_caching_headers_only",
        },
    ),
    (
        "broken.surface_no_name",
        ("test_surface.py",),
        {
            "test_name_exists",
            "test_name_has_its_kind",
            "test_reexport_is_the_same_object",
            "test_signature_matches",
            "test_documented_call_forms_bind",
        },
    ),
    (
        "broken.surface_changed_signature",
        ("test_surface.py",),
        {"test_signature_matches", "test_documented_call_forms_bind"},
    ),
    (
        "broken.get_json_silent_type",
        ("test_json.py", "test_wrappers.py", "test_request.py"),
        {
            "test_body_not_declared_as_json_is_415",
            "test_json_content_types",
            "test_a_body_not_declared_as_json_raises_unsupported_media_type",
            "test_on_json_loading_failed_supplies_the_value",
        },
    ),
    (
        "broken.json_error_detail_leaked",
        ("test_json.py", "test_wrappers.py"),
        {
            "test_the_parse_error_is_shown_only_in_debug_mode",
            "test_the_error_page_shows_the_parse_error_only_in_debug_mode",
            "test_default_on_json_loading_failed_raises",
        },
    ),
    (
        "broken.response_json_cached",
        ("test_json.py", "test_response_object.py"),
        {"test_response_json_is_not_cached", "test_response_json_uses_the_active_app_provider"},
    ),
    (
        "broken.args_type_ignored",
        ("test_request.py",),
        {"test_get_with_a_default_and_a_type"},
    ),
    (
        "broken.response_mimetype_params_dropped",
        ("test_response_object.py", "test_request.py"),
        {"test_response_mimetype_and_its_params", "test_changing_mimetype_params_rewrites_the_content_type"},
    ),
    (
        "broken.delete_cookie_no_expires",
        ("test_response_object.py", "test_sessions.py"),
        {
            "test_delete_cookie_expires_it_in_the_past",
            "test_partitioned_cookies_are_also_secure",
            "test_emptying_the_session_deletes_the_cookie",
            "test_clearing_an_empty_session_still_deletes_the_cookie",
        },
    ),
    (
        "broken.session_timestamp_wide",
        ("test_session_reference.py", "test_session_interop.py"),
        {"test_the_same_session_signs_to_the_reference_bytes", "test_the_signing_time_is_itsdangerous_clock"},
    ),
    (
        "broken.redirect_303_default",
        ("test_redirect.py", "test_flashing.py"),
        {
            "test_redirect_defaults_to_302",
            "test_app_redirect_defaults_to_302",
            "test_redirect_from_a_view_answers_302_found",
            "test_a_flashed_message_survives_a_redirect",
        },
    ),
    (
        "broken.redirect_double_encoded",
        ("test_redirect.py",),
        {"test_an_encoded_location_is_not_encoded_twice"},
    ),
    (
        "broken.build_error_plain_values",
        ("test_url_for.py",),
        {"test_build_error_handlers_get_the_special_arguments"},
    ),
    (
        "broken.surface_self_keyword",
        ("test_surface.py", "test_url_for.py"),
        {"test_signature_matches", "test_a_value_named_self_is_accepted"},
    ),
    (
        "broken.flashes_not_cached",
        ("test_flashing.py", "test_session_interop.py", "test_sessions.py"),
        {
            "test_repeated_calls_in_one_request_return_the_same_messages",
            "test_a_message_flashed_after_a_read_waits_for_the_next_request",
        },
    ),
    (
        "broken.vary_cookie_always",
        ("test_sessions.py", "test_session_interface.py", "test_session_interop.py", "test_flashing.py"),
        {"test_a_view_that_ignores_the_session_gets_no_vary", "test_session_use_counts_until_the_response_is_saved"},
    ),
    (
        "broken.trap_http_ignored",
        ("test_errors.py",),
        {
            "test_trapped_http_errors_are_unhandled",
            "test_trapped_http_errors_still_reach_their_handlers",
            "test_trap_http_exception_answers_true_or_false",
            "test_what_an_error_becomes_in_debug_mode",
            "test_abort_with_a_response_bypasses_error_handlers",
        },
    ),
    (
        "broken.if_range_ignored",
        ("test_send_file.py",),
        {"test_conditional_requests_follow_the_table"},
    ),
    (
        "broken.wsgi_app_swapped",
        ("test_app.py", "test_request.py"),
        {
            "test_middleware_around_wsgi_app_sees_every_request",
            "test_calling_the_app_hands_the_request_to_wsgi_app",
            "test_proxy_fix_around_wsgi_app_trusts_the_forwarded_headers",
        },
    ),
    (
        "broken.after_this_request_newest_first",
        ("test_contexts.py", "test_hooks.py"),
        {"test_after_this_request_functions_run_first_in_registration_order"},
    ),
    (
        "broken.run_all_interfaces",
        ("test_app.py",),
        {"test_run_serves_on_the_documented_address"},
    ),
    (
        "broken.log_exception_not_overridable",
        ("test_app.py", "test_errors.py"),
        {
            "test_requests_go_through_the_overridable_methods",
            "test_what_overridden_methods_return_is_used",
            "test_log_exception_runs_right_before_the_500_handler",
        },
    ),
    (
        "broken.g_cleared_before_teardown",
        ("test_contexts.py", "test_hooks.py", "test_templates.py"),
        {"test_g_set_before_the_view_lasts_until_teardown"},
    ),
    (
        "broken.app_context_bypassed",
        ("test_contexts.py",),
        {"test_each_request_gets_its_app_context_from_app_context"},
    ),
    (
        "broken.client_buffered_ignored",
        ("test_test_client.py",),
        {"test_buffered_reads_and_closes_the_body_before_returning"},
    ),
    # Differences no table checks: only the differential area (against real Flask) sees them.
    (
        "broken.nested_after_hooks_outer_first",
        ("test_hooks.py", "test_differential.py"),
        {"test_generated_hooks_run_as_flask"},
    ),
    (
        "broken.not_found_cache_header",
        ("test_routing.py", "test_errors.py", "test_differential.py"),
        {
            "test_generated_routing_answers_as_flask",
            "test_generated_return_values_answer_as_flask",
            "test_generated_hooks_run_as_flask",
            "test_generated_error_handlers_answer_as_flask",
            "test_generated_blueprints_route_as_flask",
            "test_generated_url_for_calls_build_as_flask",
            "test_generated_file_responses_answer_as_flask",
            "test_generated_templates_and_static_files_render_as_flask",
        },
    ),
]


@pytest.mark.parametrize(("implementation", "files", "must_fail"), BROKEN, ids=[b[0] for b in BROKEN])
def test_exactly_the_broken_behaviour_fails(run_suite, implementation, files, must_fail):
    run = run_suite(f"--impl={implementation}", files=files)
    assert run.ret == 1, run.stdout
    assert run.failed_functions() == must_fail
    # Everything else ran and passed: the failures did not take the run down.
    assert run.passed_functions(), run.stdout
    assert run.document["footer"]["complete"] is True


def test_a_broken_variant_fails_only_its_own_parameters(run_suite):
    run = run_suite("--impl=broken.anchor_unquoted", "-k", "anchor_appends", files=("test_url_for.py",))
    outcomes = {r["params"]["anchor"]: r["outcome"] for r in run.results}
    assert outcomes == {
        "bio": "passed",
        "a b": "failed",
        "x/y?z=1&w": "passed",
        "ü": "failed",
        '<"q">': "failed",
    }


def test_a_missing_member_is_named_in_one_line(run_suite):
    run = run_suite("--impl=broken.no_url_for", "-k", "test_values_fill_the_rule", files=("test_url_for.py",))
    messages = {r["message"] for r in run.results}
    assert messages == {
        "implementation 'broken.no_url_for' lacks flask.url_for "
        "(AttributeError: module 'broken.no_url_for' has no attribute 'url_for')"
    }
    assert "Traceback" not in run.stdout


def test_broken_and_working_implementations_run_side_by_side(run_suite):
    run = run_suite("--impl=shim", "--impl=broken.redirect_ignores_code", files=("test_redirect.py",))
    by_impl: dict[str, set[str]] = {}
    for r in run.results:
        by_impl.setdefault(r["implementation"], set()).add(r["outcome"])
    assert by_impl == {"shim": {"passed"}, "broken.redirect_ignores_code": {"passed", "failed"}}


def test_cookie_interop_fails_only_across_incompatible_implementations(run_suite):
    run = run_suite("--impl=shim", "--impl=broken.other_salt", files=("test_session_interop.py",))
    outcomes: dict[str, set[str]] = {}
    for r in run.results:
        outcomes.setdefault(r["implementation"], set()).add(r["outcome"])
    assert outcomes["shim-to-shim"] == {"passed"}
    assert outcomes["broken.other_salt-to-broken.other_salt"] == {"passed"}
    # A cookie one signs, the other cannot read: the cross pairs fail.
    assert "failed" in outcomes["shim-to-broken.other_salt"]
    assert "failed" in outcomes["broken.other_salt-to-shim"]
