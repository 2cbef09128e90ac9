#include <gtest/gtest.h>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "common/sha256.h"
#include "common/source_location.h"

namespace pgparity {
namespace {

TEST(DidYouMean, SuggestsCloseKey) {
  EXPECT_EQ(closest_match("nulable", {"nullable", "type", "default"}), "nullable");
  EXPECT_EQ(did_you_mean_suffix("primarykey", {"primary_key", "type"}),
            "; did you mean `primary_key`?");
}

TEST(DidYouMean, NoSuggestionForUnrelatedWord) {
  EXPECT_EQ(closest_match("zebra", {"nullable", "type"}), std::nullopt);
  EXPECT_EQ(did_you_mean_suffix("zebra", {}), "");
}

TEST(DidYouMean, SwappedLettersAreOneTypo) {
  EXPECT_EQ(edit_distance("tabel", "table"), 1u);
  EXPECT_EQ(closest_match("tabel", {"table", "schema", "columns"}), "table");
}

TEST(DidYouMean, TruncatedNameSuggestsTheLongerOne) {
  EXPECT_EQ(closest_match("created", {"id", "created_at", "email"}), "created_at");
  // Ambiguous prefixes suggest nothing rather than a guess.
  EXPECT_EQ(closest_match("user", {"user_id_left", "user_id_right"}), std::nullopt);
}

TEST(DidYouMean, CaseInsensitive) { EXPECT_EQ(edit_distance("ACTIVE", "active"), 0u); }

TEST(SourceLocation, PrintsWhatIsKnown) {
  EXPECT_EQ((source_location{"a.yaml", 3, 7}).str(), "a.yaml:3:7");
  EXPECT_EQ((source_location{"a.yaml", 3, 0}).str(), "a.yaml:3");
  EXPECT_EQ((source_location{"a.yaml", 0, 0}).str(), "a.yaml");
}

TEST(Error, CarriesExitCode) {
  EXPECT_EQ(input_error("x").code(), exit_code::bad_input);
  EXPECT_EQ(environment_error("x").code(), exit_code::environment);
}

TEST(Hashes, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(std::string(1000, 'a')).size(), 64u);
}

}  // namespace
}  // namespace pgparity
