// PostgreSQL's shared memory left by a server (or initdb's standalone backend) killed with
// SIGKILL: the System V segment named on line 7 of postmaster.pid, and the POSIX segments
// /dev/shm/PostgreSQL.<handle> of its dynamic shared memory. Only what provably belongs to that
// data directory is removed: the System V segment must carry PostgreSQL's header naming the
// data directory's device and inode, with nothing attached; the POSIX segments are those its
// dynamic shared memory control segment (named in that header) lists. Another cluster's
// segments are never touched. System calls only: the guardian runs it after fork().
#pragma once

namespace pgparity::cluster_detail {

// Kills the processes whose working directory is `data_dir` (a standalone backend of initdb,
// backends of a killed postmaster), then removes the run's shared memory as above.
void reap_processes_and_shared_memory(const char* data_dir);

}  // namespace pgparity::cluster_detail
