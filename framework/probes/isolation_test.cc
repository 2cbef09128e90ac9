// Probes leave the database exactly as migrated: same snapshot, same rows in every table, in
// any order and from parallel connections at once.
#include <algorithm>
#include <map>
#include <thread>

#include "probes/probes_test_support.h"

namespace pgparity::probes_test {
namespace {

class ProbeIsolation : public probe_test {
 protected:
  void SetUp() override {
    probe_test::SetUp();
    run(R"sql(
      CREATE TYPE status AS ENUM ('active', 'archived');
      CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL,
        status status NOT NULL, is_deleted boolean NOT NULL DEFAULT false);
      CREATE UNIQUE INDEX uq_users_email ON users (email) WHERE NOT is_deleted;
      CREATE TABLE conversations (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        owner_id uuid NOT NULL REFERENCES users ON DELETE CASCADE, title varchar(80) NOT NULL);
      CREATE TABLE messages (id bigserial PRIMARY KEY,
        conversation_id bigint NOT NULL REFERENCES conversations ON DELETE CASCADE,
        author_id uuid REFERENCES users ON DELETE SET NULL, body text NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(), UNIQUE (conversation_id, body));
      CREATE TABLE reactions (message_id bigint NOT NULL REFERENCES messages ON DELETE RESTRICT,
        emoji char(1) NOT NULL, PRIMARY KEY (message_id, emoji));
      INSERT INTO users (email, status) VALUES ('a@example.com', 'active'), ('p1', 'active');
      INSERT INTO conversations (owner_id, title) SELECT id, 'hello' FROM users;
    )sql");
    models_.models = {
        model("User", "users", {key_column("id", "uuid")}),
        model("Conversation", "conversations", {key_column("id", "bigint")}),
        model("Message", "messages", {key_column("id", "bigserial")}),
        model("Reaction", "reactions",
              {key_column("message_id", "bigint"), key_column("emoji", "char(1)")}),
    };
    auto& m = models_.models;
    m[0].soft_delete = "is_deleted";
    m[0].uniques = {unique({"email"}, "uq_users_email")};
    m[0].uniques[0].allows_soft_deleted_duplicates = true;
    m[1].foreign_keys = {foreign_key({"owner_id"}, "users", {"id"}, "cascade")};
    m[2].foreign_keys = {foreign_key({"conversation_id"}, "conversations", {"id"}, "cascade"),
                         foreign_key({"author_id"}, "users", {"id"}, "set null")};
    m[2].uniques = {unique({"conversation_id", "body"})};
    m[3].foreign_keys = {foreign_key({"message_id"}, "messages", {"id"}, "restrict")};
  }

  std::vector<probe_result> probe_all(pqxx::connection& c, bool reversed = false) {
    probe_options options;
    options.models = &models_;
    std::vector<model_spec> order = models_.models;
    if (reversed) std::reverse(order.begin(), order.end());
    std::vector<probe_result> out;
    for (const auto& m : order) {
      for (auto& r : probe_cascades(c, m, schema(), options)) out.push_back(std::move(r));
      for (auto& r : probe_duplicates(c, m, schema(), options)) out.push_back(std::move(r));
    }
    return out;
  }

  std::string row_counts() {
    pqxx::work tx(conn());
    std::string out;
    for (const auto& t : schema().tables()) {
      out += t.name + "=" +
             tx.exec1("SELECT count(*) FROM " + tx.quote_name(t.schema) + "." +
                      tx.quote_name(t.name))[0]
                 .as<std::string>() +
             " ";
    }
    return out;
  }

  manifest models_;
};

TEST_F(ProbeIsolation, AllProbesPassAndLeaveSnapshotAndRowsUnchanged) {
  const snapshot before = read_snapshot(conn());
  const std::string counts = row_counts();
  EXPECT_EQ(counts, "conversations=2 messages=0 reactions=0 users=2 ");
  const auto results = probe_all(conn());
  EXPECT_EQ(results.size(), 11u);
  for (const auto& r : results) {
    EXPECT_EQ(r.outcome, probe_outcome::passed) << r.subject << ": " << summary(r) << "\n"
                                                << all_steps(r);
  }
  const snapshot after = read_snapshot(conn());
  EXPECT_TRUE(before == after) << before.diff(after);
  EXPECT_EQ(row_counts(), counts);
}

TEST_F(ProbeIsolation, ParallelConnectionsGetTheSameResultsAndChangeNothing) {
  const snapshot before = read_snapshot(conn());
  const std::string counts = row_counts();
  const auto sequential = probe_all(conn());
  constexpr int workers = 4;
  std::vector<std::vector<probe_result>> parallel(workers);
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back([this, i, &parallel] {
      pqxx::connection c(conninfo());
      // Each worker probes the same models several times, odd workers in reverse order.
      for (int round = 0; round < 5; ++round) {
        auto results = probe_all(c, i % 2 == 1);
        if (round == 0) parallel[i] = std::move(results);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::map<std::string, std::string> expected;
  for (const auto& r : sequential) expected[r.subject] = summary(r);
  for (int i = 0; i < workers; ++i) {
    std::map<std::string, std::string> got;
    for (const auto& r : parallel[i]) got[r.subject] = summary(r);
    EXPECT_EQ(got, expected) << "worker " << i;
  }
  const snapshot after = read_snapshot(conn());
  EXPECT_TRUE(before == after) << before.diff(after);
  EXPECT_EQ(row_counts(), counts);
}

}  // namespace
}  // namespace pgparity::probes_test
