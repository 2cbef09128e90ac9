#include "probes/sql_text.h"

namespace pgparity {
namespace probes_detail {

std::string quote_always(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string qualified(const std::string& schema, const std::string& table) {
  return quote_always(schema) + "." + quote_always(table);
}

std::string display_name(const std::string& schema, const std::string& table) {
  return schema.empty() || schema == "public" ? table : schema + "." + table;
}

std::string server_message_line(const std::string& server_message) {
  std::string line = server_message.substr(0, server_message.find('\n'));
  for (const char* prefix : {"ERROR:  ", "FATAL:  "}) {
    const std::string p = prefix;
    if (line.compare(0, p.size(), p) == 0) line.erase(0, p.size());
  }
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

std::optional<std::string> constraint_in_message(const std::string& server_message) {
  const std::string line = server_message_line(server_message);
  // "... violates unique constraint "x"", "... violates foreign key constraint "x" on table
  // "t"", "... violates check constraint "x"": the name is the quoted word after "constraint".
  const std::string marker = "constraint \"";
  const auto start = line.find(marker);
  if (start == std::string::npos) return std::nullopt;
  const auto name_start = start + marker.size();
  // A name may itself contain quotes; PostgreSQL does not escape them, so the closing quote is
  // the one followed by the end of the line or by " on table".
  auto end = line.find("\" on table \"", name_start);
  if (end == std::string::npos) end = line.rfind('"');
  if (end == std::string::npos || end < name_start) return std::nullopt;
  return line.substr(name_start, end - name_start);
}

}  // namespace probes_detail
}  // namespace pgparity
