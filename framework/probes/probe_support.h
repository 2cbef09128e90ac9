// What the two probe families share: running one probe again when parallel probes got in each
// other's way, and the text of results.
#pragma once

#include <functional>
#include <string>

#include "probes/probe_transaction.h"
#include "probes/probes.h"
#include "probes/row_synthesis.h"

namespace pgparity {
namespace probes_detail {

probe_result passed(std::string message);
probe_result failed(std::string message);
probe_result skipped(std::string message);

// SQLSTATEs that mean "another transaction was in the way", not "the schema refused": a
// deadlock, a serialization failure, a lock wait that ran out.
bool transient(const std::string& sqlstate);

// Runs `probe` up to three times while it reports a transient refusal through `retry`.
probe_result with_retries(const std::function<probe_result(bool& retry)>& probe);

// Runs `probe` on rows of its own in one probe transaction, always rolled back, with retries;
// the result's steps are every statement it ran.
probe_result run_rolled_back(pqxx::connection& conn, const snapshot& schema,
                             const probe_options& options, const model_spec& model,
                             value_synthesizer& synthesizer,
                             const std::function<probe_result(row_writer& w, bool& retry)>& probe);

// "cascade" -> "CASCADE", "set null" -> "SET NULL".
std::string upper(std::string text);

}  // namespace probes_detail
}  // namespace pgparity
