// Progress of a long step (applying migrations, canonicalising, probing) on stderr, so that a
// 20-second step is not silent, and a fast one says nothing: nothing is printed before the
// step has run for `quiet`. On a terminal one line is rewritten in place (and erased at the
// end); otherwise a plain line is written at most every `every_plain`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

namespace pgparity {

class progress {
 public:
  struct options {
    std::ostream* out = nullptr;  // default: std::cerr
    bool tty = false;
    std::chrono::milliseconds quiet{2000};
    std::chrono::milliseconds every_tty{250};
    std::chrono::milliseconds every_plain{5000};
  };

  // `what` says what is counted: "applying migration" prints "applying migration 3 of 10: name".
  // Writes to stderr, in place when stderr is a terminal; PGPARITY_PROGRESS=0 turns it off.
  explicit progress(std::string what);
  progress(std::string what, const options& settings);
  ~progress();
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;

  // Item `n` (1-based) of `total` has started; `name` may be empty.
  void at(std::size_t n, std::size_t total, const std::string& name = "");

 private:
  void run();
  std::string line_locked() const;

  std::string what_;
  options options_;
  bool enabled_ = true;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool printed_ = false;
  std::size_t n_ = 0;
  std::size_t total_ = 0;
  std::string name_;
  std::thread thread_;
};

}  // namespace pgparity
