#include "scenarios/scenario_loader.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include <toml++/toml.h>

namespace scenarios {

bool ParseDuration(std::string_view s, sim::Duration* out) {
  if (s.empty()) return false;
  int64_t total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] < '0' || s[i] > '9') return false;
    int64_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + (s[i] - '0');
      if (n > 1'000'000'000) return false;
      ++i;
    }
    std::size_t unit_end = i;
    while (unit_end < s.size() && s[unit_end] >= 'a' && s[unit_end] <= 'z') ++unit_end;
    const std::string_view unit = s.substr(i, unit_end - i);
    int64_t ns_per = 0;
    if (unit == "ms") ns_per = 1'000'000;
    else if (unit == "s") ns_per = 1'000'000'000;
    else if (unit == "m") ns_per = 60'000'000'000;
    else if (unit == "h") ns_per = 3'600'000'000'000;
    else if (unit == "d") ns_per = 86'400'000'000'000;
    else return false;
    total += n * ns_per;
    i = unit_end;
  }
  *out = sim::Duration::FromNanos(total);
  return true;
}

std::string FormatDuration(sim::Duration d) {
  int64_t ms = d.nanos() / 1'000'000;
  if (ms == 0) return "0s";
  std::string out;
  const std::pair<int64_t, const char*> units[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (auto [size, name] : units) {
    if (ms >= size) {
      out += std::to_string(ms / size) + name;
      ms %= size;
    }
  }
  return out;
}

namespace {

class Reader {
 public:
  Reader(const toml::table& root, std::string source) : root_(root), source_(std::move(source)) {}

  [[noreturn]] void Fail(const toml::source_region& where, const std::string& field, const std::string& what) const {
    std::ostringstream os;
    os << source_ << ":" << where.begin.line << ":" << where.begin.column << ": " << field << ": " << what;
    throw ScenarioError(os.str());
  }

  // Rejects keys of `table` (at path) that are not in `known`.
  void CheckKeys(const toml::table& table, const std::string& path, std::initializer_list<std::string_view> known) const {
    for (const auto& [key, node] : table) {
      bool ok = false;
      for (std::string_view k : known) ok |= (key.str() == k);
      if (!ok) {
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        Fail(key.source(), Join(path, key.str()), "unknown key (known: " + list + ")");
      }
    }
  }

  const toml::table* Table(const toml::table& parent, const std::string& path, std::string_view key) const {
    const toml::node* n = parent.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) Fail(n->source(), Join(path, key), "must be a table");
    return n->as_table();
  }

  void Int(const toml::table& t, const std::string& path, std::string_view key, int64_t lo, int64_t hi,
           const std::function<void(int64_t)>& set) const {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!n->is_integer()) Fail(n->source(), Join(path, key), "must be an integer");
    const int64_t v = n->as_integer()->get();
    if (v < lo || v > hi)
      Fail(n->source(), Join(path, key), "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + std::to_string(v));
    set(v);
  }

  void Double(const toml::table& t, const std::string& path, std::string_view key, double lo, double hi, double* out) const {
    const toml::node* n = t.get(key);
    if (!n) return;
    double v = 0;
    if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    else if (n->is_floating_point()) v = n->as_floating_point()->get();
    else Fail(n->source(), Join(path, key), "must be a number");
    if (!(v >= lo && v <= hi)) {
      std::ostringstream os;
      os << "must be in " << lo << ".." << hi << ", got " << v;
      Fail(n->source(), Join(path, key), os.str());
    }
    *out = v;
  }

  void String(const toml::table& t, const std::string& path, std::string_view key, std::string* out) const {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!n->is_string()) Fail(n->source(), Join(path, key), "must be a string");
    *out = n->as_string()->get();
  }

  void Bool(const toml::table& t, const std::string& path, std::string_view key, bool* out) const {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!n->is_boolean()) Fail(n->source(), Join(path, key), "must be true or false");
    *out = n->as_boolean()->get();
  }

  // A duration: a string like "3h20m" or an integer number of seconds.
  void Duration(const toml::table& t, const std::string& path, std::string_view key, sim::Duration lo, sim::Duration hi,
                sim::Duration* out) const {
    const toml::node* n = t.get(key);
    if (!n) return;
    sim::Duration d;
    if (n->is_integer()) {
      d = sim::Seconds(n->as_integer()->get());
    } else if (n->is_string()) {
      if (!ParseDuration(n->as_string()->get(), &d))
        Fail(n->source(), Join(path, key), "not a duration (examples: \"90s\", \"20m\", \"3h\", \"1h30m\", \"250ms\")");
    } else {
      Fail(n->source(), Join(path, key), "must be a duration string like \"20m\" or a number of seconds");
    }
    if (d < lo || d > hi)
      Fail(n->source(), Join(path, key), "must be in " + FormatDuration(lo) + ".." + FormatDuration(hi) + ", got " + FormatDuration(d));
    *out = d;
  }

  void Latency(const toml::table& t, const std::string& path, std::string_view key, emu::LatencySpec* out) const {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!n->is_string()) Fail(n->source(), Join(path, key), "must be a string such as \"lognormal(0.02,0.01)\"");
    sim::StatusOr<emu::LatencySpec> spec = emu::LatencySpec::Parse(n->as_string()->get());
    if (!spec.ok()) Fail(n->source(), Join(path, key), std::string(spec.status().message()));
    *out = *spec;
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

 private:
  const toml::table& root_;
  std::string source_;
};

}  // namespace

ScenarioConfig LoadScenarioText(std::string_view text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << source_name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
    throw ScenarioError(os.str());
  }
  ScenarioConfig c = DefaultScenario();
  Reader r(root, source_name);
  r.CheckKeys(root, "", {"scenario", "load", "lambda", "queue", "latency", "retry", "replay", "expect"});
  const sim::Duration kYear = sim::Days(366);

  if (const toml::table* t = r.Table(root, "", "scenario")) {
    r.CheckKeys(*t, "scenario", {"name", "description", "seed", "duration", "drain"});
    r.String(*t, "scenario", "name", &c.name);
    r.String(*t, "scenario", "description", &c.description);
    r.Int(*t, "scenario", "seed", 0, std::numeric_limits<int64_t>::max(), [&](int64_t v) { c.seed = static_cast<uint64_t>(v); });
    r.Duration(*t, "scenario", "duration", sim::Seconds(1), sim::Days(31), &c.duration);
    r.Duration(*t, "scenario", "drain", sim::Duration::Zero(), sim::Days(31), &c.drain);
  }
  if (const toml::table* t = r.Table(root, "", "load")) {
    r.CheckKeys(*t, "load", {"rate", "records_per_file", "producers", "dirty_ratio", "poison_files", "spike"});
    r.Double(*t, "load", "rate", 0.001, 1e7, &c.rate);
    r.Int(*t, "load", "records_per_file", 1, 10'000'000, [&](int64_t v) { c.records_per_file = static_cast<uint32_t>(v); });
    r.Int(*t, "load", "producers", 1, 10000, [&](int64_t v) { c.producers = static_cast<int>(v); });
    r.Double(*t, "load", "dirty_ratio", 0, 1, &c.dirty_ratio);
    r.Int(*t, "load", "poison_files", 0, 1'000'000, [&](int64_t v) { c.poison_files = static_cast<int>(v); });
    if (const toml::table* s = r.Table(*t, "load", "spike")) {
      r.CheckKeys(*s, "load.spike", {"start", "length", "factor"});
      r.Duration(*s, "load.spike", "start", sim::Duration::Zero(), kYear, &c.spike_start);
      r.Duration(*s, "load.spike", "length", sim::Duration::Zero(), kYear, &c.spike_length);
      r.Double(*s, "load.spike", "factor", 0, 1000, &c.spike_factor);
    }
  }
  if (const toml::table* t = r.Table(root, "", "lambda")) {
    r.CheckKeys(*t, "lambda", {"memory_mb", "timeout", "pollers", "batch_size", "ns_per_record", "ns_per_byte"});
    r.Int(*t, "lambda", "memory_mb", 128, 10240, [&](int64_t v) { c.memory_mb = static_cast<int>(v); });
    r.Duration(*t, "lambda", "timeout", sim::Seconds(1), sim::Seconds(900), &c.timeout);
    r.Int(*t, "lambda", "pollers", 1, 1000, [&](int64_t v) { c.pollers = static_cast<int>(v); });
    r.Int(*t, "lambda", "batch_size", 1, 10, [&](int64_t v) { c.batch_size = static_cast<int>(v); });
    r.Double(*t, "lambda", "ns_per_record", 0, 1e9, &c.ns_per_record);
    r.Double(*t, "lambda", "ns_per_byte", 0, 1e9, &c.ns_per_byte);
  }
  if (const toml::table* t = r.Table(root, "", "queue")) {
    r.CheckKeys(*t, "queue", {"visibility_timeout", "max_receive_count", "retention"});
    r.Duration(*t, "queue", "visibility_timeout", sim::Duration::Zero(), sim::Hours(12), &c.visibility_timeout);
    r.Int(*t, "queue", "max_receive_count", 1, 1000, [&](int64_t v) { c.max_receive_count = static_cast<int>(v); });
    r.Duration(*t, "queue", "retention", sim::Seconds(60), sim::Days(14), &c.retention);
  }
  if (const toml::table* t = r.Table(root, "", "latency")) {
    r.CheckKeys(*t, "latency", {"s3", "sqs", "sns", "notification_delay"});
    r.Latency(*t, "latency", "s3", &c.s3_latency);
    r.Latency(*t, "latency", "sqs", &c.sqs_latency);
    r.Latency(*t, "latency", "sns", &c.sns_latency);
    r.Latency(*t, "latency", "notification_delay", &c.notification_delay);
  }
  if (const toml::table* t = r.Table(root, "", "retry")) {
    r.CheckKeys(*t, "retry", {"mode", "max_attempts"});
    r.String(*t, "retry", "mode", &c.retry_mode);
    if (c.retry_mode != "legacy" && c.retry_mode != "standard" && c.retry_mode != "adaptive")
      r.Fail(t->get("mode")->source(), "retry.mode", "must be \"legacy\", \"standard\" or \"adaptive\", got \"" + c.retry_mode + "\"");
    r.Int(*t, "retry", "max_attempts", 0, 100, [&](int64_t v) { c.retry_max_attempts = static_cast<int>(v); });
  }
  if (const toml::table* t = r.Table(root, "", "replay")) {
    r.CheckKeys(*t, "replay", {"failed", "at"});
    r.Bool(*t, "replay", "failed", &c.replay_failed);
    r.Duration(*t, "replay", "at", sim::Duration::Zero(), sim::Days(62), &c.replay_at);
  }
  if (const toml::table* t = r.Table(root, "", "expect")) {
    r.CheckKeys(*t, "expect", {"lost_records"});
    r.Int(*t, "expect", "lost_records", 0, std::numeric_limits<int64_t>::max(), [&](int64_t v) { c.lost_records = static_cast<uint64_t>(v); });
  }
  // Cross-field rules.
  if (root.get("lambda") || root.get("queue")) {
    if (c.visibility_timeout < c.timeout) {
      const toml::node* n = root.at_path("queue.visibility_timeout").node();
      if (!n) n = root.at_path("lambda.timeout").node();
      r.Fail(n->source(), n == root.at_path("queue.visibility_timeout").node() ? "queue.visibility_timeout" : "lambda.timeout",
             "the queue's visibility timeout (" + FormatDuration(c.visibility_timeout) +
                 ") must be at least the function timeout (" + FormatDuration(c.timeout) +
                 "); Lambda rejects such an event source mapping");
    }
  }
  return c;
}

ScenarioConfig LoadScenarioFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path + ": cannot open scenario file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return LoadScenarioText(buf.str(), path);
}

}  // namespace scenarios
