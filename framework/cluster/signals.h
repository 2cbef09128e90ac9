// What SIGINT and SIGTERM must clean up before pgparity exits with 130 / 143: postmasters of
// disposable runs (stopped, run directories removed by their guardians) and throwaway databases
// on existing servers (dropped, best effort). Handlers are installed on first registration.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace pgparity::cluster_detail {

// SIGINT / SIGTERM handlers (once; a signal set to SIG_IGN stays ignored). pgparity's main()
// calls this first, through install_signal_handlers(), so that a signal in the first
// milliseconds is an orderly exit with 130 / 143 too.
void install_handlers();

// Disposable runs. Returns a slot, or -1 when all are taken (the guardian still cleans up).
int register_run(pid_t guardian, int guardian_fd);
void set_run_postmaster(int slot, pid_t postmaster);
void unregister_run(int slot);

// Cache entries being written (`<name>.tmp.<pid>.<start>.<random>`): removed by the handler.
// Returns a slot, or -1 when all are taken (a later run reaps it).
int register_staging(const std::string& path);
void unregister_staging(int slot);

// Throwaway databases on an existing server.
std::uint64_t register_external(const std::string& admin_conninfo, int version_num);
void note_database(std::uint64_t id, const std::string& name, bool exists);
void unregister_external(std::uint64_t id);

}  // namespace pgparity::cluster_detail
