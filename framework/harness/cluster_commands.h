// `pgparity up`, `pgparity down` and the `--attach FILE` flag of `pgparity test` / `report`:
// one migrated server shared by the test processes of a ctest run (docs/cmake.md).
#pragma once

#include <string>
#include <vector>

namespace pgparity::harness {

// `args` (without the program name) names `up` or `down`.
bool is_cluster_command(const std::vector<std::string>& args);
// Runs `pgparity up` / `pgparity down`; returns the exit status, throws pgparity::error.
int run_cluster_command(const std::vector<std::string>& args);

// For `test` and `report`: removes `--attach FILE` (or `--attach=FILE`) from `args` and sets
// PGPARITY_ATTACH=FILE, which attach_or_bring_up() reads.
void take_attach_flag(std::vector<std::string>& args);

}  // namespace pgparity::harness
