/* layout.c: prints the size of every public struct and the offset of each field, so that
 * examples/python/test_gate.py can prove gate.py declares them exactly as gate.h does. */
#include <gate.h>
#include <stddef.h>
#include <stdio.h>

#define S(t) printf("%s %zu\n", #t, sizeof(t))
#define F(t, f) printf("%s.%s %zu\n", #t, #f, offsetof(t, f))

int main(void)
{
	S(gate_error); F(gate_error, code); F(gate_error, message);
	S(gate_buf); F(gate_buf, ptr); F(gate_buf, size); F(gate_buf, reserved);
	S(gate_options); F(gate_options, version); F(gate_options, repo_path); F(gate_options, db_path);
	F(gate_options, pack_path); F(gate_options, pack_public_key); F(gate_options, flags);
	F(gate_options, clock); F(gate_options, clock_payload); F(gate_options, busy_timeout_ms);
	S(gate_locale_text); F(gate_locale_text, locale); F(gate_locale_text, blob_oid);
	S(gate_version_info); F(gate_version_info, doc); F(gate_version_info, n);
	F(gate_version_info, change); F(gate_version_info, detected); F(gate_version_info, published);
	F(gate_version_info, effective); F(gate_version_info, tag_oid); F(gate_version_info, commit_oid);
	F(gate_version_info, summary); F(gate_version_info, reason); F(gate_version_info, publisher_name);
	F(gate_version_info, publisher_email); F(gate_version_info, locale_count);
	F(gate_version_info, locales);
	S(gate_decision); F(gate_decision, outcome); F(gate_decision, doc); F(gate_decision, accepted);
	F(gate_decision, accepted_at); F(gate_decision, revoked); F(gate_decision, required);
	F(gate_decision, upcoming); F(gate_decision, target); F(gate_decision, effective);
	F(gate_decision, material);
	S(gate_receipt); F(gate_receipt, recorded); F(gate_receipt, seq); F(gate_receipt, type);
	F(gate_receipt, n); F(gate_receipt, locale); F(gate_receipt, commit_oid); F(gate_receipt, blob_oid);
	F(gate_receipt, at); F(gate_receipt, hash);
	S(gate_verify_result); F(gate_verify_result, events); F(gate_verify_result, users);
	F(gate_verify_result, checkpoints); F(gate_verify_result, first_bad_seq);
	F(gate_verify_result, head_hash);
	S(gate_diff_change); F(gate_diff_change, kind); F(gate_diff_change, removed);
	F(gate_diff_change, removed_len); F(gate_diff_change, added); F(gate_diff_change, added_len);
	F(gate_diff_change, old_offset); F(gate_diff_change, new_offset); F(gate_diff_change, old_line);
	F(gate_diff_change, new_line); F(gate_diff_change, section); F(gate_diff_change, categories);
	F(gate_diff_change, hints); F(gate_diff_change, editorial);
	S(gate_diff_stats); F(gate_diff_stats, changes); F(gate_diff_stats, material);
	F(gate_diff_stats, editorial); F(gate_diff_stats, words_removed); F(gate_diff_stats, words_added);
	F(gate_diff_stats, old_words); F(gate_diff_stats, new_words); F(gate_diff_stats, old_bytes);
	F(gate_diff_stats, new_bytes); F(gate_diff_stats, coarse);
	S(gate_diff_side); F(gate_diff_side, label); F(gate_diff_side, doc); F(gate_diff_side, n);
	F(gate_diff_side, locale); F(gate_diff_side, blob_oid); F(gate_diff_side, effective);
	S(gate_diff_options); F(gate_diff_options, version); F(gate_diff_options, flags);
	F(gate_diff_options, date_patterns); F(gate_diff_options, date_pattern_count);
	F(gate_diff_options, max_cost);
	S(gate_render_options); F(gate_render_options, version); F(gate_render_options, flags);
	F(gate_render_options, context); F(gate_render_options, title); F(gate_render_options, lang);
	/* Enums are passed as int: they must be int-sized. */
	S(gate_outcome); S(gate_change); S(gate_diff_format);
	return 0;
}
