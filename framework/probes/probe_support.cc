#include "probes/probe_support.h"

#include <cctype>

namespace pgparity {
namespace probes_detail {

namespace {
probe_result make(probe_outcome outcome, std::string message) {
  probe_result out;
  out.outcome = outcome;
  out.message = std::move(message);
  return out;
}
}  // namespace

probe_result passed(std::string message) { return make(probe_outcome::passed, std::move(message)); }
probe_result failed(std::string message) { return make(probe_outcome::failed, std::move(message)); }
probe_result skipped(std::string message) {
  return make(probe_outcome::skipped, std::move(message));
}

bool transient(const std::string& sqlstate) {
  return sqlstate == "40P01" || sqlstate == "40001" || sqlstate == "55P03";
}

probe_result run_rolled_back(pqxx::connection& conn, const snapshot& schema,
                             const probe_options& options, const model_spec& model,
                             value_synthesizer& synthesizer,
                             const std::function<probe_result(row_writer& w, bool& retry)>& probe) {
  return with_retries([&](bool& retry) {
    std::vector<std::string> steps;
    probe_result r;
    {
      probe_transaction tx(conn, &steps, options.statement_timeout_ms);
      row_writer w(tx, schema, options.models, &model, options.variant_base, &synthesizer);
      r = probe(w, retry);
    }
    r.steps = std::move(steps);
    return r;
  });
}

probe_result with_retries(const std::function<probe_result(bool& retry)>& probe) {
  probe_result result;
  for (int attempt = 0; attempt < 3; ++attempt) {
    bool retry = false;
    result = probe(retry);
    if (!retry) break;
  }
  return result;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace probes_detail

const char* to_string(probe_outcome outcome) {
  switch (outcome) {
    case probe_outcome::passed:
      return "passed";
    case probe_outcome::failed:
      return "failed";
    case probe_outcome::skipped:
      return "skipped";
  }
  return "skipped";
}

}  // namespace pgparity
