// Types, defaults, expressions and samples are SQL fragments that pgparity pastes into its own
// statements (scratch tables built inside a transaction, probe rows in rolled-back savepoints).
// A `;` would end that statement and let the next one run outside our control (`COMMIT` ends the
// transaction that keeps everything rolled back), so a fragment holding one is bad input.
#pragma once

#include <string>

#include "common/source_location.h"
#include "manifest/model_spec.h"

namespace pgparity::manifest_detail {

// Throws input_error("<at>: <what> holds `;` ...") when `text` holds a `;`. Anywhere, even in a
// string literal: that keeps the rule exact without a SQL lexer (chr(59) spells one).
void check_sql_fragment(const std::string& text, const source_location& at,
                        const std::string& what);

// Every fragment of a model, at the location of the object that holds it.
void check_sql_fragments(const model_spec& model);

}  // namespace pgparity::manifest_detail
