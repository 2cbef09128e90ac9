#include "probes/type_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "probes/sql_text.h"

namespace pgparity {
namespace probes_detail {

namespace {

// "timestamp(3) with time zone" -> name "timestamp with time zone", modifiers {3}.
struct parsed_type {
  std::string name;
  std::vector<long> modifiers;
};

parsed_type parse_type(const std::string& type) {
  parsed_type out;
  const auto open = type.find('(');
  const auto close = type.find(')', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) {
    out.name = type;
    return out;
  }
  out.name = type.substr(0, open) + type.substr(close + 1);
  std::string inner = type.substr(open + 1, close - open - 1);
  std::size_t start = 0;
  while (start <= inner.size()) {
    const auto comma = inner.find(',', start);
    const std::string part =
        inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    out.modifiers.push_back(std::strtol(part.c_str(), nullptr, 10));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

long power_of_ten(long digits) {
  long out = 1;
  for (long i = 0; i < digits && i < 18; ++i) out *= 10;
  return out;
}

// Short strings that still differ per variant: "p1", "p2", ...; base 36 when the column is
// narrower than that.
std::string string_value(long variant, long max_length) {
  std::string text = "p" + std::to_string(variant);
  if (max_length <= 0 || static_cast<long>(text.size()) <= max_length) return text;
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string base36;
  for (long v = variant; v > 0; v /= 36) base36.insert(base36.begin(), digits[v % 36]);
  if (base36.empty()) base36 = "0";
  if (static_cast<long>(base36.size()) > max_length)
    base36 = base36.substr(base36.size() - max_length);
  return base36;
}

std::string numeric_value(const std::vector<long>& modifiers, long variant) {
  if (modifiers.empty()) return std::to_string(variant);
  const long precision = modifiers[0];
  const long scale = modifiers.size() > 1 ? modifiers[1] : 0;
  if (scale < 0) {  // numeric(2,-3): multiples of 1000 with 2 significant digits
    return std::to_string(variant % power_of_ten(precision)) + std::string(-scale, '0');
  }
  const long integer_digits = precision - scale;
  if (integer_digits > 0) return std::to_string(variant % power_of_ten(integer_digits));
  std::string fraction = std::to_string(variant % power_of_ten(precision));
  if (static_cast<long>(fraction.size()) < scale) {
    fraction.insert(0, scale - fraction.size(), '0');
  }
  return "0." + fraction;
}

std::string clock_value(long variant) {
  const long seconds = variant % 86400;
  return fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

std::string bits_value(long variant, long length) {
  std::string bits;
  for (long i = 0; i < length; ++i) bits.insert(bits.begin(), (variant >> i) & 1 ? '1' : '0');
  return "B'" + bits + "'";
}

// `digits` decimal digits, the first a 1, the rest from `v`: a value that needs every digit of
// the width (a narrowing to fewer fails) and leaves headroom for arithmetic (x9 before overflow).
std::string full_digits(long digits, long v) {
  if (digits == 1) return std::to_string(1 + v % 9);
  std::string rest = std::to_string(v % power_of_ten(std::min(digits - 1, 18L)));
  if (static_cast<long>(rest.size()) < digits - 1) rest.insert(0, digits - 1 - rest.size(), '0');
  return "1" + rest;
}

// A value at the declared width of `t`, for the types that have one: varchar(n) and char(n)
// filled to n characters, bit varying(n) to n bits, numeric(p,s), smallint, integer and bigint
// with all their integer digits. nullopt for the others (they take the usual value).
std::optional<std::string> wide_value(const parsed_type& t, long v) {
  const std::string& n = t.name;
  const long length = t.modifiers.empty() ? 0 : t.modifiers[0];
  if ((n == "character varying" || n == "character") && length > 0) {
    return fmt::format("rpad({}, {}, 'w')", quote_literal(string_value(v, length)), length);
  }
  if (n == "bit varying" && length > 0) {
    const std::string bits = bits_value(v, std::min(length, 32L));  // B'0101'
    return fmt::format("lpad('{}', {}, '1')", bits.substr(2, bits.size() - 3), length);
  }
  if (n == "numeric" && !t.modifiers.empty()) {
    const long scale = t.modifiers.size() > 1 ? t.modifiers[1] : 0;
    if (scale < 0 || t.modifiers[0] - scale < 1) return std::nullopt;
    return full_digits(t.modifiers[0] - scale, v);
  }
  if (n == "smallint") return full_digits(5, v);
  if (n == "integer") return full_digits(10, v);
  if (n == "bigint") return full_digits(19, v);
  return std::nullopt;
}

std::optional<std::string> scalar_value(const std::string& type, long v, bool vary_all, bool wide) {
  const parsed_type t = parse_type(type);
  if (wide) {
    if (auto value = wide_value(t, v)) return value;
  }
  const std::string& n = t.name;
  const long length = t.modifiers.empty() ? 0 : t.modifiers[0];
  if (n == "smallint") return std::to_string(v % 32767);
  if (n == "integer" || n == "bigint" || n == "oid") return std::to_string(v);
  if (n == "numeric") return numeric_value(t.modifiers, v);
  if (n == "real" || n == "double precision") return std::to_string(v) + ".5";
  if (n == "money") return quote_literal(std::to_string(v));
  if (n == "text" || n == "character varying" || n == "name" || n == "citext") {
    return quote_literal(string_value(v, length));
  }
  if (n == "character") return quote_literal(string_value(v, length == 0 ? 1 : length));
  if (n == "\"char\"") return quote_literal(string_value(v, 1));
  if (n == "boolean") return vary_all && v % 2 == 1 ? "true" : "false";
  if (n == "uuid") return quote_literal(fmt::format("00000000-0000-4000-8000-{:012x}", v));
  if (n == "date") return fmt::format("(DATE '2000-01-01' + {})", v % 2000000);
  if (n == "time without time zone") return quote_literal(clock_value(v));
  if (n == "time with time zone") return quote_literal(clock_value(v) + "+00");
  if (n == "timestamp without time zone") {
    return fmt::format("(TIMESTAMP '2000-01-01 00:00:00' + {} * INTERVAL '1 minute')", v);
  }
  if (n == "timestamp with time zone") {
    return fmt::format("(TIMESTAMPTZ '2000-01-01 00:00:00+00' + {} * INTERVAL '1 minute')", v);
  }
  if (starts_with(n, "interval")) {
    // `interval year to month` and friends truncate smaller fields: use the largest one kept.
    const char* unit = n.find("year") != std::string::npos    ? "years"
                       : n.find("month") != std::string::npos ? "months"
                                                              : "days";
    return quote_literal(fmt::format("{} {}", v, unit));
  }
  if (n == "json" || n == "jsonb") return quote_literal(fmt::format("{{\"probe\": {}}}", v));
  if (n == "bytea") return fmt::format("decode('{:04x}', 'hex')", v % 65536);
  if (n == "inet" || n == "cidr") {
    return quote_literal(fmt::format("10.{}.{}.{}/32", (v >> 16) & 255, (v >> 8) & 255, v & 255));
  }
  if (n == "macaddr") {
    return quote_literal(
        fmt::format("08:00:2b:{:02x}:{:02x}:{:02x}", (v >> 16) & 255, (v >> 8) & 255, v & 255));
  }
  if (n == "macaddr8") {
    return quote_literal(fmt::format("08:00:2b:ff:fe:{:02x}:{:02x}:{:02x}", (v >> 16) & 255,
                                     (v >> 8) & 255, v & 255));
  }
  if (n == "bit") return bits_value(v, length == 0 ? 1 : length);
  if (n == "bit varying") return bits_value(v, length == 0 || length > 32 ? 32 : length);
  if (n == "xml") return quote_literal(fmt::format("<probe n=\"{}\"/>", v));
  if (n == "tsvector" || n == "tsquery") return quote_literal(fmt::format("p{}", v));
  if (n == "point") return quote_literal(fmt::format("({},0)", v));
  if (n == "int4range" || n == "int8range" || n == "numrange") {
    return quote_literal(fmt::format("[{},{})", v, v + 1));
  }
  if (n == "daterange") {
    return fmt::format("daterange(DATE '2000-01-01' + {0}, DATE '2000-01-01' + {0} + 1)",
                       v % 2000000);
  }
  if (n == "tsrange" || n == "tstzrange") {
    const char* stamp =
        n == "tsrange" ? "TIMESTAMP '2000-01-01 00:00:00'" : "TIMESTAMPTZ '2000-01-01 00:00:00+00'";
    return fmt::format("{0}({1} + {2} * INTERVAL '1 minute', {1} + {3} * INTERVAL '1 minute')", n,
                       stamp, v, v + 1);
  }
  return std::nullopt;
}

bool is_array(const std::string& type) {
  return type.size() > 2 && type.compare(type.size() - 2, 2, "[]") == 0;
}

std::string element_type(const std::string& type) { return type.substr(0, type.size() - 2); }

std::string cast(const std::string& expression, const std::string& type) {
  return "CAST(" + expression + " AS " + type + ")";
}

}  // namespace

std::optional<std::string> builtin_value(const std::string& type, long variant, bool vary_all,
                                         bool wide) {
  if (is_array(type)) {
    const std::string element = element_type(type);
    auto value = builtin_value(element, variant, vary_all, wide);
    if (!value) return std::nullopt;
    return "ARRAY[" + cast(*value, element) + "]";
  }
  return scalar_value(type, variant, vary_all, wide);
}

const value_synthesizer::type_facts& value_synthesizer::facts(probe_transaction& tx,
                                                              const std::string& type) {
  auto found = cache_.find(type);
  if (found != cache_.end()) return found->second;
  type_facts facts;
  const pqxx::result rows = tx.exec(
      "SELECT t.typtype, t.typcategory, format_type(t.typbasetype, t.typtypmod) AS base,"
      "       n.nspname, t.typname"
      " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
      " WHERE t.oid = to_regtype(" +
      quote_literal(type) + ")");
  if (!rows.empty()) {
    facts.known = true;
    facts.kind = rows[0]["typtype"].c_str()[0];
    facts.category = rows[0]["typcategory"].c_str()[0];
    if (!rows[0]["base"].is_null()) facts.base = rows[0]["base"].c_str();
    if (facts.kind == 'e') {
      if (const enum_info* e =
              schema_.find_enum(rows[0]["nspname"].c_str(), rows[0]["typname"].c_str())) {
        facts.labels = e->labels;
      } else {
        for (const auto& row : tx.exec("SELECT enumlabel FROM pg_enum WHERE enumtypid = " +
                                       quote_literal(type) + "::regtype ORDER BY enumsortorder")) {
          facts.labels.push_back(row[0].c_str());
        }
      }
    }
  }
  return cache_.emplace(type, std::move(facts)).first->second;
}

std::optional<std::string> value_synthesizer::uncast_value(probe_transaction& tx,
                                                           const std::string& type, long variant,
                                                           bool vary_all, bool wide, int depth) {
  if (depth > 16) return std::nullopt;  // a domain chain this deep is a cycle in our reading
  if (is_array(type)) {
    const std::string element = element_type(type);
    auto value = uncast_value(tx, element, variant, vary_all, wide, depth + 1);
    if (!value) return std::nullopt;
    return "ARRAY[" + cast(*value, element) + "]";
  }
  if (auto value = scalar_value(type, variant, vary_all, wide)) return value;
  const type_facts& f = facts(tx, type);
  if (!f.known) return std::nullopt;
  switch (f.kind) {
    case 'e':
      if (f.labels.empty()) return std::nullopt;
      return quote_literal(f.labels[vary_all ? variant % f.labels.size() : 0]);
    case 'd':
      // A value of the base type; the caller's cast to the domain applies its checks.
      if (f.base.empty()) return std::nullopt;
      {
        auto value = uncast_value(tx, f.base, variant, vary_all, wide, depth + 1);
        if (!value) return std::nullopt;
        return cast(*value, f.base);
      }
    default:
      break;
  }
  // Extension and other base types, by the category the server files them under.
  switch (f.category) {
    case 'S':
      return quote_literal(string_value(variant, 0));
    case 'N':
      return std::to_string(variant);
    case 'B':
      return vary_all && variant % 2 == 1 ? "true" : "false";
    default:
      return std::nullopt;
  }
}

synthesized_value value_synthesizer::for_type(probe_transaction& tx, const std::string& type,
                                              long variant, bool vary_all, bool wide) {
  synthesized_value out;
  if (auto value = uncast_value(tx, type, variant, vary_all, wide, 0)) {
    out.sql = cast(*value, type);
  } else {
    out.reason = "no value can be synthesised for type " + type;
  }
  return out;
}

synthesized_value value_synthesizer::for_column(probe_transaction& tx, const column_info& column,
                                                long variant, bool vary_all, bool wide) {
  if (column.type_kind == 'e' && !is_array(column.type)) {
    // The snapshot already holds the labels: no round trip. (For arrays the snapshot describes
    // the element type; the general path below handles them.)
    if (const enum_info* e = schema_.find_enum(column.type_schema, column.type_name)) {
      if (!e->labels.empty()) {
        synthesized_value out;
        out.sql =
            cast(quote_literal(e->labels[vary_all ? variant % e->labels.size() : 0]), column.type);
        return out;
      }
    }
  }
  synthesized_value out = for_type(tx, column.type, variant, vary_all, wide);
  if (!out.sql) {
    out.reason =
        "no value can be synthesised for column " + column.name + " of type " + column.type;
  }
  return out;
}

}  // namespace probes_detail
}  // namespace pgparity
