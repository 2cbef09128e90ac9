// connection_info: the same connection spelled for libpq, for a URL and for child processes.
#include <libpq-fe.h>

#include "cluster/server.h"
#include "cluster/text.h"
#include "common/secrets.h"

namespace pgparity {

namespace {

void append_keyword(std::string& out, const char* keyword, const std::string& value) {
  if (value.empty()) return;
  if (!out.empty()) out += ' ';
  out += keyword;
  out += '=';
  out += cluster_detail::quote_conninfo_value(value);
}

// The keywords in `extra` (itself a conninfo string) as URL query parameters.
std::vector<std::pair<std::string, std::string>> extra_parameters(const std::string& extra) {
  std::vector<std::pair<std::string, std::string>> out;
  if (extra.empty()) return out;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(extra.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return out;
  }
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) out.emplace_back(option->keyword, option->val);
  }
  PQconninfoFree(options);
  return out;
}

}  // namespace

std::string connection_info::conninfo() const {
  std::string out;
  append_keyword(out, "host", host);
  append_keyword(out, "port", std::to_string(port));
  append_keyword(out, "user", user);
  append_keyword(out, "password", password);
  append_keyword(out, "dbname", dbname);
  if (!extra.empty()) out += " " + extra;
  return out;
}

std::string connection_info::url() const {
  std::string out = "postgresql://";
  if (!user.empty()) {
    out += percent_encode(user);
    if (!password.empty()) out += ":" + percent_encode(password);
    out += "@";
  }
  // A socket directory cannot stand in the authority part: it goes to the query string.
  const bool socket = !host.empty() && host[0] == '/';
  std::vector<std::pair<std::string, std::string>> query;
  if (socket) {
    query.emplace_back("host", host);
    query.emplace_back("port", std::to_string(port));
  } else {
    const bool ipv6 = host.find(':') != std::string::npos;
    out += ipv6 ? "[" + host + "]" : percent_encode(host);
    out += ":" + std::to_string(port);
  }
  out += "/" + percent_encode(dbname);
  for (auto& parameter : extra_parameters(extra)) query.push_back(std::move(parameter));
  char separator = '?';
  // A query value keeps its slashes, which RFC 3986 allows there. A socket directory then needs
  // no `%2F`, which Python's configparser rejects in the usual Alembic env.py line
  // `config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])`.
  for (const auto& [key, value] : query) {
    out += separator + percent_encode(key) + "=" + percent_encode(value, true);
    separator = '&';
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> connection_info::environment() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("PGHOST", host);
  out.emplace_back("PGPORT", std::to_string(port));
  out.emplace_back("PGUSER", user);
  out.emplace_back("PGDATABASE", dbname);
  if (!password.empty()) out.emplace_back("PGPASSWORD", password);
  out.emplace_back("DATABASE_URL", url());
  return out;
}

}  // namespace pgparity
