// Test helper: holds a cluster until killed, so tests can kill it (SIGKILL, SIGTERM, SIGINT)
// and check what it leaves behind.
//   cluster_hold              start a disposable server; print its run directory
//   cluster_hold URL          connect to URL, create a throwaway database; print its name
#include <unistd.h>

#include <iostream>

#include "cluster/server.h"
#include "common/error.h"

int main(int argc, char** argv) {
  try {
    std::unique_ptr<pgparity::server> server;
    if (argc > 1) {
      server = pgparity::server::connect_existing(argv[1]);
      std::cout << server->create_database() << std::endl;
    } else {
      server = pgparity::server::start_disposable();
      std::cout << server->admin_connection().host << std::endl;
    }
    for (;;) pause();
  } catch (const pgparity::error& e) {
    std::cerr << "cluster_hold: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
}
