#include <cstdint>
#include <cstdio>
#include <string>

#include "engine/kinds.h"
#include "report/report.h"

namespace pgparity {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one.
std::size_t utf8_length(const std::string& text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  std::uint32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  return code < min || code > 0x10FFFF || surrogate ? 0 : length;
}

std::string number(std::size_t value) { return std::to_string(value); }

void field(std::string& out, int indent, const char* key, const std::string& json_value,
           bool last = false) {
  out.append(static_cast<std::size_t>(indent), ' ');
  out += json_string(key) + ": " + json_value + (last ? "\n" : ",\n");
}

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", " : "") + json_string(items[i]);
  return out + "]";
}

std::string differs_array(const finding& f) {
  std::string out = "[";
  for (std::size_t i = 0; i < f.differs.size(); ++i) {
    out += std::string(i > 0 ? ", " : "") +
           "{\"attribute\": " + json_string(attribute_id(f.differs[i].what)) +
           ", \"values\": " + string_array(f.differs[i].values) + "}";
  }
  return out + "]";
}

const char* cause_id(cause_kind kind) {
  switch (kind) {
    case cause_kind::referenced_table_missing:
      return "referenced_table_missing";
    case cause_kind::index_not_unique:
      return "index_not_unique";
    case cause_kind::index_partial:
      return "index_partial";
    case cause_kind::column_uses_other_enum:
      return "column_uses_other_enum";
    case cause_kind::table_in_other_schema:
      return "table_in_other_schema";
    case cause_kind::none:
      break;
  }
  return "";
}

// `family` has one value for both undeclared kinds (`kind` tells them apart).
std::string family_of(check_kind kind) {
  const bool undeclared =
      kind == check_kind::undeclared_objects || kind == check_kind::undeclared_tables;
  return undeclared ? "nothing_undeclared" : kind_id(kind);
}

void finding_fields(std::string& out, const finding& f) {
  // The words, as the GoogleTest message prints them.
  field(out, 6, "level", json_string(severity_name(f.level)));
  field(out, 6, "family", json_string(family_of(f.kind)));
  field(out, 6, "family_name", json_string(engine::info(f.kind).display_name));
  field(out, 6, "suite", json_string(suite_title(f)));
  field(out, 6, "model", json_string(f.model));
  field(out, 6, "table", json_string(table_text(f)));
  field(out, 6, "object", json_string(object_text(f)));
  field(out, 6, "problem", json_string(problem_text(f)));
  field(out, 6, "expected", json_string(f.expected));
  field(out, 6, "actual", json_string(f.actual));
  field(out, 6, "hint", json_string(hint_text(f)));
  field(out, 6, "fix_sql", json_string(f.fix_sql));
  // The same finding as data.
  field(out, 6, "test", json_string(f.test));
  field(out, 6, "kind", json_string(kind_id(f.kind)));
  field(out, 6, "object_kind", json_string(object_kind_id(f.object)));
  field(out, 6, "schema", json_string(f.schema));
  field(out, 6, "table_name", json_string(f.table));
  field(out, 6, "name", json_string(f.name));
  field(out, 6, "differs", differs_array(f));
  field(out, 6, "suggestion", json_string(f.suggestion));
  field(out, 6, "cause",
        "{\"kind\": " + json_string(cause_id(f.why.kind)) + ", \"object\": " +
            json_string(f.why.object) + ", \"value\": " + json_string(f.why.value) + "}");
  field(out, 6, "declare_yaml", json_string(f.declare_yaml));
  field(out, 6, "statements", string_array(f.statements));
  out += "      \"location\": {\"file\": " + json_string(f.location.file) +
         ", \"line\": " + std::to_string(f.location.line) +
         ", \"column\": " + std::to_string(f.location.column) + "}\n";
}

}  // namespace

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<std::uint8_t>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_length(text, i);
      if (length == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text, i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out + "\"";
}

std::string json_report(const findings& all, const report_meta& meta) {
  std::size_t critical = 0;
  for (const auto& f : all) critical += f.level == severity::critical ? 1 : 0;

  std::string out = "{\n";
  field(out, 2, "format", json_string("pgparity-report"));
  // The structured fields (kind, object_kind, ..., statements) were added to version 1 without
  // changing it: no key was removed or renamed, no value changed its meaning.
  field(out, 2, "version", "1");
  out += "  \"meta\": {\n";
  field(out, 4, "title", json_string(meta.title));
  field(out, 4, "manifest", json_string(meta.manifest_file));
  field(out, 4, "server_version", json_string(meta.server_version));
  field(out, 4, "generated_at", json_string(meta.generated_at));
  field(out, 4, "models", number(meta.models));
  field(out, 4, "tables", number(meta.tables));
  field(out, 4, "pgparity_version", json_string(meta.pgparity_version), true);
  out += "  },\n";
  out += "  \"summary\": {\n";
  field(out, 4, "critical", number(critical));
  field(out, 4, "warning", number(all.size() - critical));
  field(out, 4, "total", number(all.size()), true);
  out += "  },\n";
  out += all.empty() ? "  \"findings\": []\n" : "  \"findings\": [\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    out += "    {\n";
    finding_fields(out, all[i]);
    out += i + 1 < all.size() ? "    },\n" : "    }\n";
  }
  if (!all.empty()) out += "  ]\n";
  return out + "}\n";
}

}  // namespace pgparity
