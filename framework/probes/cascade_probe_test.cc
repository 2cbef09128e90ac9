// Cascade probes against real schemas: each declared action passes on a schema that does it and
// fails on a schema that does something else; rows the probe cannot build make it skip.
#include "probes/probes_test_support.h"

namespace pgparity::probes_test {
namespace {

class CascadeProbe : public probe_test {
 protected:
  // conversations <- messages, with `fk_sql` appended to messages.conversation_id.
  void create(const std::string& fk_sql, bool nullable = false,
              const std::string& column_default = "") {
    run("CREATE TABLE conversations (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
        "  title text NOT NULL);"
        "CREATE TABLE messages (id bigserial PRIMARY KEY, conversation_id uuid" +
        std::string(nullable ? "" : " NOT NULL") + column_default + " " + fk_sql +
        ", body text NOT NULL);");
  }
  model_spec messages(std::optional<std::string> on_delete,
                      std::optional<std::string> on_update = std::nullopt) {
    model_spec m = model("Message", "messages",
                         {key_column("id", "bigserial"), column("conversation_id", "uuid", false),
                          column("body", "text", false)});
    m.foreign_keys.push_back(
        foreign_key({"conversation_id"}, "conversations", {"id"}, on_delete, on_update));
    m.foreign_keys.back().location = {"models.yaml", 12, 7};
    return m;
  }
  probe_result only(const std::vector<probe_result>& results) {
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? probe_result{} : results[0];
  }
  probe_result probe(const model_spec& m) { return only(probe_cascades(conn(), m, schema())); }
};

TEST_F(CascadeProbe, CascadePassesWhenTheChildIsRemoved) {
  create("REFERENCES conversations ON DELETE CASCADE");
  const probe_result r = probe(messages("cascade"));
  EXPECT_EQ(summary(r),
            "passed: deleting the parent row of messages.conversation_id removed the child row, "
            "as ON DELETE CASCADE declares")
      << all_steps(r);
  EXPECT_EQ(r.subject, "messages.conversation_id -> conversations.id ON DELETE CASCADE");
  EXPECT_EQ(r.location.str(), "models.yaml:12:7");
  EXPECT_FALSE(r.steps.empty());
}

TEST_F(CascadeProbe, CascadeFailsWhenTheForeignKeyHasNoAction) {
  create("REFERENCES conversations");
  EXPECT_EQ(summary(probe(messages("cascade"))),
            "failed: deleting the parent row of messages.conversation_id was refused: update or "
            "delete on table \"conversations\" violates foreign key constraint "
            "\"messages_conversation_id_fkey\" on table \"messages\" (SQLSTATE 23503): expected ON "
            "DELETE CASCADE to remove it");
}

TEST_F(CascadeProbe, CascadeFailsWhenThereIsNoForeignKeyAtAll) {
  create("");
  EXPECT_EQ(summary(probe(messages("cascade"))),
            "failed: deleting the parent row of messages.conversation_id left the child row in "
            "place: expected ON DELETE CASCADE to remove it");
}

TEST_F(CascadeProbe, SetNullPassesAndFailsOnCascade) {
  create("REFERENCES conversations ON DELETE SET NULL", true);
  EXPECT_EQ(summary(probe(messages("set null"))),
            "passed: deleting the parent row of messages.conversation_id set "
            "messages.conversation_id to NULL, as ON DELETE SET NULL declares");
  run("DROP TABLE messages, conversations;");
  create("REFERENCES conversations ON DELETE CASCADE", true);
  EXPECT_EQ(summary(probe(messages("set null"))),
            "failed: deleting the parent row of messages.conversation_id removed the child row: "
            "expected ON DELETE SET NULL to set messages.conversation_id to NULL");
}

TEST_F(CascadeProbe, SetDefaultPassesAndFailsOnSetNull) {
  const std::string fallback = " DEFAULT '00000000-0000-0000-0000-000000000000'";
  create("REFERENCES conversations ON DELETE SET DEFAULT", false, fallback);
  EXPECT_EQ(summary(probe(messages("set default"))),
            "passed: deleting the parent row of messages.conversation_id changed "
            "messages.conversation_id to 00000000-0000-0000-0000-000000000000, as ON DELETE SET "
            "DEFAULT declares");
  run("DROP TABLE messages, conversations;");
  create("REFERENCES conversations ON DELETE SET NULL", true, fallback);
  EXPECT_EQ(summary(probe(messages("set default"))),
            "failed: deleting the parent row of messages.conversation_id set "
            "messages.conversation_id to NULL: expected ON DELETE SET DEFAULT to reset "
            "messages.conversation_id to its default 00000000-0000-0000-0000-000000000000");
}

TEST_F(CascadeProbe, RestrictPassesAndFailsOnCascade) {
  create("REFERENCES conversations ON DELETE RESTRICT");
  EXPECT_EQ(summary(probe(messages("restrict"))),
            "passed: deleting the parent row of messages.conversation_id was refused with "
            "SQLSTATE 23503, as ON DELETE RESTRICT declares");
  run("DROP TABLE messages, conversations;");
  create("REFERENCES conversations ON DELETE CASCADE");
  EXPECT_EQ(summary(probe(messages("restrict"))),
            "failed: deleting the parent row of messages.conversation_id was accepted and removed "
            "the child row: expected ON DELETE RESTRICT to refuse it with SQLSTATE 23503");
}

TEST_F(CascadeProbe, NoActionPassesEvenWhenDeferredAndFailsOnSetNull) {
  create("REFERENCES conversations ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED");
  EXPECT_EQ(summary(probe(messages("no action"))),
            "passed: deleting the parent row of messages.conversation_id was refused with "
            "SQLSTATE 23503, as ON DELETE NO ACTION declares");
  run("DROP TABLE messages, conversations;");
  create("REFERENCES conversations ON DELETE SET NULL", true);
  EXPECT_EQ(summary(probe(messages("no action"))),
            "failed: deleting the parent row of messages.conversation_id was accepted and set "
            "messages.conversation_id to NULL: expected ON DELETE NO ACTION to refuse it with "
            "SQLSTATE 23503");
}

TEST_F(CascadeProbe, OnUpdateCascadePassesAndFailsWithoutIt) {
  run("CREATE TABLE accounts (code text PRIMARY KEY);"
      "CREATE TABLE invoices (id serial PRIMARY KEY, account_code text NOT NULL "
      "  REFERENCES accounts ON UPDATE CASCADE ON DELETE CASCADE);");
  model_spec m = model("Invoice", "invoices", {key_column("id", "serial")});
  m.foreign_keys.push_back(foreign_key({"account_code"}, "accounts", {}, "cascade", "cascade"));
  std::vector<probe_result> results = probe_cascades(conn(), m, schema());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, probe_outcome::passed) << summary(results[0]);
  EXPECT_EQ(summary(results[1]),
            "passed: changing the key accounts.code of the parent row of invoices.account_code "
            "changed invoices.account_code to the new key, as ON UPDATE CASCADE declares")
      << all_steps(results[1]);
  run("ALTER TABLE invoices DROP CONSTRAINT invoices_account_code_fkey;"
      "ALTER TABLE invoices ADD FOREIGN KEY (account_code) REFERENCES accounts ON DELETE CASCADE");
  results = probe_cascades(conn(), m, schema());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, probe_outcome::passed);
  EXPECT_EQ(results[1].outcome, probe_outcome::failed);
  EXPECT_NE(results[1].message.find("(SQLSTATE 23503): expected ON UPDATE CASCADE to change "
                                    "invoices.account_code to the parent's new key"),
            std::string::npos)
      << results[1].message;
}

TEST_F(CascadeProbe, OnUpdateOfAnIdentityKeyUsesTheNextIdentityValue) {
  run("CREATE TABLE p (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"
      "CREATE TABLE c (id serial PRIMARY KEY, p_id integer REFERENCES p ON UPDATE SET NULL);");
  model_spec m = model("C", "c", {key_column("id", "serial")});
  m.foreign_keys.push_back(foreign_key({"p_id"}, "p", {"id"}, std::nullopt, "set null"));
  const probe_result r = only(probe_cascades(conn(), m, schema()));
  EXPECT_EQ(r.outcome, probe_outcome::passed) << summary(r) << "\n" << all_steps(r);
}

TEST_F(CascadeProbe, CompositeSelfReferenceAndSeededParents) {
  run("CREATE TABLE folders (tenant integer NOT NULL, id integer NOT NULL, parent integer,"
      "  name text NOT NULL, PRIMARY KEY (tenant, id),"
      "  FOREIGN KEY (tenant, parent) REFERENCES folders ON DELETE CASCADE);"
      "INSERT INTO folders VALUES (1, 1, NULL, 'root'), (2, 2, NULL, 'root');");
  model_spec m = model("Folder", "folders", {});
  m.foreign_keys.push_back(
      foreign_key({"tenant", "parent"}, "folders", {"tenant", "id"}, "cascade"));
  const probe_result r = only(probe_cascades(conn(), m, schema()));
  EXPECT_EQ(summary(r),
            "passed: deleting the parent row of folders (tenant, parent) removed the child row, as "
            "ON DELETE CASCADE declares")
      << all_steps(r);
}

TEST_F(CascadeProbe, UnsatisfiableCheckIsSkippedWithTheReasonAndASampleMakesItPass) {
  run("CREATE TABLE conversations (id uuid PRIMARY KEY, code text NOT NULL"
      "  CONSTRAINT ck_code CHECK (length(code) = 7 AND code ~ '^X'));"
      "CREATE TABLE messages (id bigserial PRIMARY KEY, conversation_id uuid NOT NULL"
      "  REFERENCES conversations ON DELETE CASCADE, body text NOT NULL);");
  const probe_result r = probe(messages("cascade"));
  EXPECT_EQ(summary(r),
            "skipped: the INSERT into conversations was refused: new row for relation "
            "\"conversations\" violates check constraint \"ck_code\" (SQLSTATE 23514); a manifest "
            "`sample:` value for the column can supply a valid one");
  manifest all;
  model_spec conversation =
      model("Conversation", "conversations", {key_column("id", "uuid"), column("code", "text")});
  conversation.columns[1].sample = "'X' || 'ABCDEF'";
  all.models = {conversation, messages("cascade")};
  probe_options options;
  options.models = &all;
  const probe_result fixed = only(probe_cascades(conn(), all.models[1], schema(), options));
  EXPECT_EQ(fixed.outcome, probe_outcome::passed) << summary(fixed);
}

TEST_F(CascadeProbe, MissingTablesAndColumnsAreSkipped) {
  run("CREATE TABLE conversations (id uuid PRIMARY KEY);");
  EXPECT_EQ(summary(probe(messages("cascade"))),
            "skipped: table messages does not exist, so ON DELETE CASCADE cannot be probed");
  run("CREATE TABLE messages (id bigserial PRIMARY KEY);");
  EXPECT_EQ(summary(probe(messages("cascade"))),
            "skipped: column messages.conversation_id does not exist, so ON DELETE CASCADE cannot "
            "be probed");
}

}  // namespace
}  // namespace pgparity::probes_test
