#include "sim/metrics.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "sim/scheduler.h"

namespace sim {
namespace {

std::string DumpOf(const MetricsRegistry& r) {
  std::ostringstream out;
  r.Dump(out);
  return out.str();
}

Time At(Duration d) { return Time::Zero() + d; }

TEST(Metrics, CounterAdds) {
  Counter c;
  EXPECT_EQ(c.value(), 0);
  c.Add();
  c.Add(41);
  c.Add(-2);
  EXPECT_EQ(c.value(), 40);
}

TEST(Metrics, GaugeTracksValueAndPeak) {
  Gauge g;
  g.Set(5);
  g.Add(3);
  g.Add(-6);
  EXPECT_EQ(g.value(), 2.0);
  EXPECT_EQ(g.max(), 8.0);
}

TEST(Metrics, TimeSeriesKeepsPointsInOrder) {
  TimeSeries s;
  s.Append(At(Seconds(1)), 3);
  s.Append(At(Seconds(2)), 9);
  s.Append(At(Seconds(3)), 4);
  ASSERT_EQ(s.points().size(), 3u);
  EXPECT_EQ(s.points()[1].t, At(Seconds(2)));
  EXPECT_EQ(s.points()[1].value, 9.0);
  EXPECT_EQ(s.Max(), 9.0);
}

TEST(Metrics, RegistryReturnsSameObjectByName) {
  MetricsRegistry r;
  Counter& c = r.GetCounter("sqs.sent");
  c.Add(2);
  EXPECT_EQ(&r.GetCounter("sqs.sent"), &c);
  EXPECT_EQ(r.GetCounter("sqs.sent").value(), 2);
  EXPECT_NE(&r.GetCounter("sqs.received"), &c);

  Gauge& g = r.GetGauge("depth");
  EXPECT_EQ(&r.GetGauge("depth"), &g);
  Histogram& h = r.GetHistogram("latency");
  EXPECT_EQ(&r.GetHistogram("latency"), &h);
  TimeSeries& s = r.GetTimeSeries("depth");  // separate namespaces per kind
  EXPECT_EQ(&r.GetTimeSeries("depth"), &s);
}

TEST(Metrics, ReferencesStayValidAsRegistryGrows) {
  MetricsRegistry r;
  Counter& first = r.GetCounter("m.0000");
  first.Add(7);
  for (int i = 1; i < 5000; ++i) r.GetCounter("m." + std::to_string(i));
  EXPECT_EQ(&r.GetCounter("m.0000"), &first);
  EXPECT_EQ(first.value(), 7);
  EXPECT_EQ(r.counters().size(), 5000u);
}

TEST(Metrics, DumpIsInNameOrder) {
  MetricsRegistry r;
  r.GetCounter("b.requests").Add(3);
  r.GetCounter("a.errors").Add(1);
  r.GetGauge("queue.depth").Set(4);
  r.GetGauge("queue.depth").Set(2.5);
  for (int v : {30, 10, 20}) r.GetHistogram("latency").Record(v);
  r.GetTimeSeries("s").Append(At(Seconds(1)), 1);
  r.GetTimeSeries("s").Append(At(Seconds(2)), 2);
  r.GetTimeSeries("r");
  EXPECT_EQ(DumpOf(r),
            "counter a.errors 1\n"
            "counter b.requests 3\n"
            "gauge queue.depth 2.5 max 4\n"
            "histogram latency count 3 min 10 p50 20 p90 30 p99 30 p999 30 max 30\n"
            "series r points 0\n"
            "series s points 2\n");
}

void FillForward(MetricsRegistry& r) {
  for (const char* name : {"alpha", "beta", "gamma", "delta", "epsilon"}) {
    r.GetCounter(name).Add(static_cast<int64_t>(std::string(name).size()));
    r.GetGauge(std::string(name) + ".g").Set(1.5);
    r.GetHistogram(std::string(name) + ".h").Record(static_cast<int64_t>(std::string(name).size()) * 1000);
  }
}

void FillBackward(MetricsRegistry& r) {
  for (const char* name : {"epsilon", "delta", "gamma", "beta", "alpha"}) {
    r.GetHistogram(std::string(name) + ".h").Record(static_cast<int64_t>(std::string(name).size()) * 1000);
    r.GetGauge(std::string(name) + ".g").Set(1.5);
    r.GetCounter(name).Add(static_cast<int64_t>(std::string(name).size()));
  }
}

TEST(Metrics, DumpIsIdenticalWhateverTheRegistrationOrder) {
  MetricsRegistry a, b;
  FillForward(a);
  FillBackward(b);
  const std::string dump = DumpOf(a);
  EXPECT_EQ(dump, DumpOf(b));
  EXPECT_EQ(dump.rfind("counter alpha 5\n", 0), 0u) << dump;  // alpha sorts first
}

TEST(Metrics, SampleRecordsAtFirstPlusMultiplesOfInterval) {
  Scheduler sched;
  MetricsRegistry r;
  double level = -1;
  r.Sample(sched, "level", At(Seconds(1)), Seconds(2), [&level] { return level; });
  // level = s from s + 0.5 s on; the last regular event is at 9.5 s.
  for (int s = 0; s < 10; ++s) sched.ScheduleAt(At(Milliseconds(s * 1000 + 500)), [&level, s] { level = s; });
  sched.Run();
  // Samples at 1, 3, 5, 7, 9 s; none at 11 s: the daemon sampler does not
  // outlive the last regular event.
  const std::vector<TimeSeries::Point>& points = r.GetTimeSeries("level").points();
  ASSERT_EQ(points.size(), 5u);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const int64_t sec = 1 + 2 * static_cast<int64_t>(i);
    EXPECT_EQ(points[i].t, At(Seconds(sec)));
    EXPECT_EQ(points[i].value, static_cast<double>(sec - 1));
  }
  EXPECT_EQ(sched.Now(), At(Milliseconds(9500)));
}

TEST(Metrics, SampleDoesNotKeepRunAlive) {
  Scheduler sched;
  MetricsRegistry r;
  int probes = 0;
  r.Sample(sched, "q", At(Seconds(1)), Seconds(1), [&probes] { return ++probes; });
  sched.Run();
  EXPECT_EQ(probes, 0);
  EXPECT_EQ(sched.Now(), Time::Zero());
  EXPECT_TRUE(r.GetTimeSeries("q").points().empty());
  // An explicit horizon does sample, including at exactly the horizon.
  sched.RunUntil(At(Seconds(3)));
  ASSERT_EQ(r.GetTimeSeries("q").points().size(), 3u);
  EXPECT_EQ(r.GetTimeSeries("q").points().back().t, At(Seconds(3)));
  EXPECT_EQ(r.GetTimeSeries("q").points().back().value, 3.0);
}

}  // namespace
}  // namespace sim
