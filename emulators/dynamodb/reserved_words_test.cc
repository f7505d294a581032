#include "emulators/dynamodb/reserved_words.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace emu::dynamodb {
namespace {

TEST(ReservedWords, ListIsTheFullDocumentedList) {
  EXPECT_EQ(ReservedWords().size(), 573u);
  EXPECT_EQ(ReservedWords().front(), "ABORT");
  EXPECT_EQ(ReservedWords().back(), "ZONE");
  EXPECT_TRUE(std::is_sorted(ReservedWords().begin(), ReservedWords().end()));
}

TEST(ReservedWords, MatchIsCaseInsensitive) {
  EXPECT_TRUE(IsReservedWord("status"));
  EXPECT_TRUE(IsReservedWord("Status"));
  EXPECT_TRUE(IsReservedWord("STATUS"));
  EXPECT_TRUE(IsReservedWord("abOrt"));
  EXPECT_TRUE(IsReservedWord("ttl"));
  EXPECT_TRUE(IsReservedWord("name"));
  EXPECT_TRUE(IsReservedWord("FLATTERN"));  // the documented misspelling
}

TEST(ReservedWords, OrdinaryNamesAreNotReserved) {
  EXPECT_FALSE(IsReservedWord("pk"));
  EXPECT_FALSE(IsReservedWord("counter_value"));
  EXPECT_FALSE(IsReservedWord("abortx"));
  EXPECT_FALSE(IsReservedWord(""));
  EXPECT_FALSE(IsReservedWord("ZONES"));
}

}  // namespace
}  // namespace emu::dynamodb
