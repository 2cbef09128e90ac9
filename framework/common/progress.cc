#include "common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace pgparity {
namespace {

progress::options from_environment() {
  progress::options o;
  o.out = &std::cerr;
  o.tty = isatty(STDERR_FILENO) != 0;
  return o;
}

bool enabled_by_environment() {
  const char* value = std::getenv("PGPARITY_PROGRESS");
  return value == nullptr || std::strcmp(value, "0") != 0;
}

}  // namespace

progress::progress(std::string what) : progress(std::move(what), from_environment()) {
  enabled_ = enabled_by_environment();
  if (!enabled_) {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
}

progress::progress(std::string what, const options& settings)
    : what_(std::move(what)), options_(settings) {
  if (options_.out == nullptr) options_.out = &std::cerr;
  thread_ = std::thread([this] { run(); });
}

progress::~progress() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    // The finished step's line is not left on the terminal: what follows says how it went.
    if (printed_ && options_.tty) *options_.out << "\r\033[K" << std::flush;
  }
  wake_.notify_all();
  thread_.join();
}

void progress::at(std::size_t n, std::size_t total, const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    n_ = n;
    total_ = total;
    name_ = name;
  }
  wake_.notify_all();
}

std::string progress::line_locked() const {
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = fmt::format("pgparity: {} {} of {}", what_, n_, total_);
  if (!name_.empty()) line += ": " + name_;
  return line + fmt::format(" ({:.0f} s)", seconds);
}

void progress::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto stopped = [this] { return stop_; };
  if (wake_.wait_for(lock, options_.quiet, stopped)) return;
  wake_.wait(lock, [this] { return stop_ || n_ > 0; });  // until the first item has started
  const auto every = options_.tty ? options_.every_tty : options_.every_plain;
  while (!stop_) {
    if (options_.tty) {
      *options_.out << "\r\033[K" << line_locked() << std::flush;
    } else {
      *options_.out << line_locked() << std::endl;
    }
    printed_ = true;
    wake_.wait_for(lock, every, stopped);
  }
}

}  // namespace pgparity
