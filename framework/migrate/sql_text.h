// Lexical helpers over migration SQL: statement splitting (for migrations that cannot run in
// a transaction block) and mapping PostgreSQL's error positions back to file lines.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pgparity::migrate_detail {

// One statement of a script: [begin, end) byte offsets, from its first token to just before
// its terminating `;` (or the end of the script).
struct sql_statement {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Splits a script into statements the way psql would: `;` ends a statement unless it is inside
// a string ('', E'', $tag$), a quoted identifier, a comment (nested /* */), or a SQL-standard
// function body (BEGIN ATOMIC ... END). Statements holding only comments are dropped.
std::vector<sql_statement> split_statements(const std::string& sql);

// True when the script holds nothing but whitespace and comments: an empty migration.
bool is_blank_sql(const std::string& sql);

// True when one of the script's leading comment lines is `-- pgparity:no-transaction`.
bool has_no_transaction_marker(const std::string& sql);

// The first statement PostgreSQL refuses inside a transaction block (CREATE INDEX
// CONCURRENTLY, VACUUM, ...), described as "CREATE INDEX CONCURRENTLY"; nullopt when none.
// `server_version_num` decides version-dependent cases (ALTER TYPE ... ADD VALUE before 12).
std::optional<std::string> statement_needing_no_transaction(const std::string& sql,
                                                            int server_version_num);

// Byte offset of PostgreSQL's 1-based character `position` within sql[from..]; positions count
// characters (UTF-8 code points) when `utf8`, else bytes.
std::size_t offset_of_position(const std::string& sql, std::size_t from, int position, bool utf8);

// 1-based line in the file of byte `offset` of `sql`, whose first line is `first_line`.
int line_of_offset(const std::string& sql, std::size_t offset, int first_line);

}  // namespace pgparity::migrate_detail
