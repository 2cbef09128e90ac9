#include "common/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <thread>

namespace pgparity {
namespace {

using std::chrono::milliseconds;

// The reporter's thread writes into `out` under its own lock; reading it is safe once the
// reporter is destroyed, so each wait ends the reporter first.
std::string output_after(const progress::options& o, milliseconds wait) {
  std::ostringstream out;
  progress::options with_out = o;
  with_out.out = &out;
  {
    progress p("applying migration", with_out);
    p.at(2, 10, "0002_users");
    std::this_thread::sleep_for(wait);
  }
  return out.str();
}

TEST(progress, QuietWhileTheStepIsFast) {
  progress::options o;
  o.quiet = milliseconds(60000);
  EXPECT_EQ(output_after(o, milliseconds(50)), "");
}

TEST(progress, PlainLinesNameTheItemAndTheCount) {
  progress::options o;
  o.quiet = milliseconds(0);
  o.every_plain = milliseconds(60000);
  const std::string out = output_after(o, milliseconds(300));
  EXPECT_EQ(out.rfind("pgparity: applying migration 2 of 10: 0002_users (", 0), 0u) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << out;
  // At most one line per `every_plain`: the one written when `quiet` ran out.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST(progress, OnATerminalOneLineIsRewrittenAndErased) {
  progress::options o;
  o.tty = true;
  o.quiet = milliseconds(0);
  o.every_tty = milliseconds(10);
  const std::string out = output_after(o, milliseconds(300));
  EXPECT_NE(out.find("\r\033[Kpgparity: applying migration 2 of 10: 0002_users ("),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find('\n'), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 4), "\r\033[K") << out;  // erased at the end
}

}  // namespace
}  // namespace pgparity
