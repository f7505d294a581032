#include "emulators/common/account.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "emulators/common/delivery.h"

namespace emu {
namespace {

class RecordingTarget : public DeliveryTarget {
 public:
  explicit RecordingTarget(std::string id) : id_(std::move(id)) {}
  sim::Status Deliver(const Delivery& d) override {
    last_body_ = d.body;
    return sim::OkStatus();
  }
  const std::string& id() const { return id_; }
  const std::string& last_body() const { return last_body_; }

 private:
  std::string id_;
  std::string last_body_;
};

TEST(Account, DefaultsToUsEast1AndZeroAccount) {
  Account a;
  EXPECT_EQ(a.region(), "us-east-1");
  EXPECT_EQ(a.account_id(), "000000000000");
}

TEST(Account, BuildsRegionalArns) {
  Account a("eu-west-1", "123456789012");
  EXPECT_EQ(a.Arn("sns", "raw-logs"), "arn:aws:sns:eu-west-1:123456789012:raw-logs");
  EXPECT_EQ(a.Arn("sqs", "clean-queue"), "arn:aws:sqs:eu-west-1:123456789012:clean-queue");
  EXPECT_EQ(a.FunctionArn("enrich"), "arn:aws:lambda:eu-west-1:123456789012:function:enrich");
}

TEST(Account, BucketArnHasNoRegionOrAccount) {
  Account a("eu-west-1", "123456789012");
  EXPECT_EQ(a.BucketArn("adsk-raw"), "arn:aws:s3:::adsk-raw");
}

TEST(Account, ParsesRegionalArn) {
  const std::optional<ParsedArn> p = Account::ParseArn("arn:aws:lambda:us-east-1:000000000000:function:enrich");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->partition, "aws");
  EXPECT_EQ(p->service, "lambda");
  EXPECT_EQ(p->region, "us-east-1");
  EXPECT_EQ(p->account, "000000000000");
  // The resource keeps its own colons.
  EXPECT_EQ(p->resource, "function:enrich");
}

TEST(Account, ParsesS3ArnWithEmptyRegionAndAccount) {
  const std::optional<ParsedArn> p = Account::ParseArn("arn:aws:s3:::adsk-raw");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->service, "s3");
  EXPECT_EQ(p->region, "");
  EXPECT_EQ(p->account, "");
  EXPECT_EQ(p->resource, "adsk-raw");
}

TEST(Account, ParseRoundTripsBuiltArns) {
  Account a("ap-southeast-2", "111122223333");
  for (const std::string& arn : {a.Arn("sns", "t"), a.FunctionArn("f"), a.BucketArn("b"), a.Arn("sqs", "q")}) {
    const std::optional<ParsedArn> p = Account::ParseArn(arn);
    ASSERT_TRUE(p.has_value()) << arn;
    EXPECT_EQ("arn:" + p->partition + ":" + p->service + ":" + p->region + ":" + p->account + ":" + p->resource, arn);
  }
}

TEST(Account, RejectsMalformedArns) {
  EXPECT_FALSE(Account::ParseArn("").has_value());
  EXPECT_FALSE(Account::ParseArn("arn:aws:sqs:us-east-1").has_value());      // too few fields
  EXPECT_FALSE(Account::ParseArn("urn:aws:sqs:us-east-1:0:q").has_value());  // not an ARN
  EXPECT_FALSE(Account::ParseArn("arn::sqs:us-east-1:0:q").has_value());     // no partition
  EXPECT_FALSE(Account::ParseArn("arn:aws::us-east-1:0:q").has_value());     // no service
  EXPECT_FALSE(Account::ParseArn("arn:aws:sqs:us-east-1:0:").has_value());   // no resource
}

TEST(Account, QueueUrlHasRegionAndAccount) {
  Account a("eu-west-1", "123456789012");
  EXPECT_EQ(a.QueueUrl("clean-queue"), "https://sqs.eu-west-1.amazonaws.com/123456789012/clean-queue");
}

TEST(Account, QueueNameFromUrlOrArn) {
  Account a;
  EXPECT_EQ(Account::QueueNameFromUrl(a.QueueUrl("raw-q")), std::optional<std::string>("raw-q"));
  EXPECT_EQ(Account::QueueNameFromUrl("http://localhost:9324/000000000000/dev-q"), std::optional<std::string>("dev-q"));
  EXPECT_EQ(Account::QueueNameFromUrl(a.Arn("sqs", "arn-q")), std::optional<std::string>("arn-q"));
}

TEST(Account, QueueNameFromUrlRejectsOthers) {
  Account a;
  EXPECT_EQ(Account::QueueNameFromUrl("raw-q"), std::nullopt);                // a bare name
  EXPECT_EQ(Account::QueueNameFromUrl(a.Arn("sns", "topic")), std::nullopt);  // not a queue ARN
  EXPECT_EQ(Account::QueueNameFromUrl("https://sqs.us-east-1.amazonaws.com/000000000000/"), std::nullopt);
  EXPECT_EQ(Account::QueueNameFromUrl("ftp://host/q"), std::nullopt);
}

TEST(Account, ResolvesRegisteredTarget) {
  Account a;
  RecordingTarget queue("queue");
  const std::string arn = a.Arn("sqs", "q");
  EXPECT_EQ(a.ResolveTarget(arn), nullptr);
  a.RegisterTarget(arn, &queue);
  DeliveryTarget* t = a.ResolveTarget(arn);
  ASSERT_EQ(t, &queue);
  EXPECT_TRUE(t->Deliver(Delivery{"hello", a.Arn("sns", "topic"), {}}).ok());
  EXPECT_EQ(queue.last_body(), "hello");
  EXPECT_EQ(a.ResolveTarget(a.Arn("sqs", "other")), nullptr);
}

TEST(Account, RegisteringAgainReplacesTarget) {
  Account a;
  RecordingTarget old_fn("old"), new_fn("new");
  const std::string arn = a.FunctionArn("enrich");
  a.RegisterTarget(arn, &old_fn);
  a.RegisterTarget(arn, &new_fn);
  EXPECT_EQ(a.ResolveTarget(arn), &new_fn);
}

TEST(Account, UnregisteredTargetNoLongerResolves) {
  Account a;
  RecordingTarget queue("queue"), other("other");
  a.RegisterTarget(a.Arn("sqs", "q"), &queue);
  a.RegisterTarget(a.Arn("sqs", "r"), &other);
  a.UnregisterTarget(a.Arn("sqs", "q"));
  EXPECT_EQ(a.ResolveTarget(a.Arn("sqs", "q")), nullptr);
  EXPECT_EQ(a.ResolveTarget(a.Arn("sqs", "r")), &other);
  // Unregistering an unknown ARN is harmless.
  a.UnregisterTarget(a.Arn("sqs", "never"));
  EXPECT_EQ(a.ResolveTarget(a.Arn("sqs", "r")), &other);
}

}  // namespace
}  // namespace emu
