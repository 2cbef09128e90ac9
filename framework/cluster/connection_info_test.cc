#include <gtest/gtest.h>

#include "cluster/server.h"

namespace pgparity {
namespace {

TEST(ConnectionInfo, ConninfoQuotesValues) {
  connection_info info;
  info.host = "/tmp/pgparity.abc";
  info.port = 5432;
  info.user = "o'brien";
  info.password = "p\\w d";
  info.dbname = "db one";
  EXPECT_EQ(info.conninfo(),
            "host='/tmp/pgparity.abc' port='5432' user='o\\'brien' password='p\\\\w d' "
            "dbname='db one'");
}

TEST(ConnectionInfo, UrlPutsSocketDirectoryInQuery) {
  connection_info info;
  info.host = "/tmp/pgparity.abc";
  info.port = 5432;
  info.user = "pgparity";
  info.dbname = "pgparity_0123";
  EXPECT_EQ(info.url(), "postgresql://pgparity@/pgparity_0123?host=/tmp/pgparity.abc&port=5432");
}

TEST(ConnectionInfo, UrlWithHostPasswordAndExtra) {
  connection_info info;
  info.host = "db.example.com";
  info.port = 6543;
  info.user = "app";
  info.password = "s3cr@t/";
  info.dbname = "x";
  info.extra = "sslmode='require'";
  EXPECT_EQ(info.url(), "postgresql://app:s3cr%40t%2F@db.example.com:6543/x?sslmode=require");
  EXPECT_NE(info.conninfo().find("sslmode='require'"), std::string::npos);
}

TEST(ConnectionInfo, EnvironmentForChildProcesses) {
  connection_info info;
  info.host = "/tmp/pgparity.abc";
  info.port = 5432;
  info.user = "pgparity";
  info.dbname = "d";
  const auto env = info.environment();
  ASSERT_EQ(env.size(), 5u);  // no PGPASSWORD without a password
  EXPECT_EQ(env[0], std::make_pair(std::string("PGHOST"), std::string("/tmp/pgparity.abc")));
  EXPECT_EQ(env[1].second, "5432");
  EXPECT_EQ(env[2].second, "pgparity");
  EXPECT_EQ(env[3].second, "d");
  EXPECT_EQ(env[4].first, "DATABASE_URL");
  EXPECT_EQ(env[4].second, info.url());
  info.password = "pw";
  EXPECT_EQ(info.environment().size(), 6u);
}

}  // namespace
}  // namespace pgparity
