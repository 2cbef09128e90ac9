// Splitting one-file migrations into their up and down sections by the marker comments of
// dbmate (`-- migrate:up`), goose (`-- +goose Up`) and sql-migrate (`-- +migrate Up`).
#pragma once

#include <string>

namespace pgparity::migrate_detail {

enum class section_style { dbmate, goose, sql_migrate };

// The text of each section (from the line after its marker to the next marker or the end), the
// line of the file it starts on, and the marker's options (`transaction:false`,
// `notransaction`, goose's file-wide `-- +goose NO TRANSACTION`). Text before the first marker
// belongs to no section, as in the tools.
struct sql_sections {
  std::string up_sql;
  std::string down_sql;
  int up_first_line = 1;
  int down_first_line = 1;
  bool has_up = false;
  bool has_down = false;
  bool up_no_transaction = false;
  bool down_no_transaction = false;
};

sql_sections split_sections(const std::string& text, section_style style);

// True when some line of `text` is the up marker of `style`.
bool has_up_marker(const std::string& text, section_style style);

// goose: a line `-- +goose NO TRANSACTION` anywhere in the file (trailing blanks allowed).
bool has_goose_no_transaction(const std::string& text);

}  // namespace pgparity::migrate_detail
