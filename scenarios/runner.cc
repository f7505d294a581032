#include "scenarios/runner.h"

#include <algorithm>

#include "emulators/s3/s3_model.h"
#include "emulators/sqs/sqs_model.h"
#include "pipeline/freshness.h"
#include "pipeline/topology.h"
#include "sim/scheduler.h"

namespace scenarios {

namespace {

emu::RetryConfig ToRetryConfig(const ScenarioConfig& c) {
  emu::RetryConfig r;
  r.mode = emu::ParseRetryMode(c.retry_mode).value();
  r.max_attempts = c.retry_max_attempts;
  return r;
}

pipeline::PipelineConfig ToPipelineConfig(const ScenarioConfig& c) {
  pipeline::PipelineConfig p;
  p.producer.load.records_per_second = c.rate;
  p.producer.load.duration = c.duration;
  p.producer.load.spike_start = c.spike_start;
  p.producer.load.spike_length = c.spike_length;
  p.producer.load.spike_factor = c.spike_factor;
  p.producer.records_per_file = c.records_per_file;
  p.producer.producers = c.producers;
  p.producer.dirty_ratio = c.dirty_ratio;
  p.producer.poison_files = c.poison_files;
  p.retry = ToRetryConfig(c);
  p.memory_mb = c.memory_mb;
  p.timeout = c.timeout;
  p.pollers = c.pollers;
  p.batch_size = c.batch_size;
  p.compute.ns_per_record = c.ns_per_record;
  p.compute.ns_per_byte = c.ns_per_byte;
  p.visibility_timeout = c.visibility_timeout;
  p.max_receive_count = c.max_receive_count;
  p.retention = c.retention;
  p.notification_delay = c.notification_delay;
  return p;
}

class ScenarioRun {
 public:
  ScenarioRun(const ScenarioConfig& c, const RunHooks& hooks)
      : config_(c), env_(sched_, c.seed), pipeline_(env_, ToPipelineConfig(c)) {
    sched_.log().set_sink(hooks.log_sink);
    sched_.log().set_level(hooks.log_level);
    if (hooks.fail_invariant_at) {
      sched_.ScheduleAt(sim::Time::Zero() + *hooks.fail_invariant_at,
                        [] { SIM_CHECK_MSG(false, "invariant failure injected by --debug-invariant-at"); });
    }
    pipeline_.s3().behaviour().SetLatency(c.s3_latency);
    pipeline_.sqs().behaviour().SetLatency(c.sqs_latency);
    pipeline_.sns().behaviour().SetLatency(c.sns_latency);
  }
  ~ScenarioRun() { sched_.Shutdown(); }

  RunSummary Run() {
    const sim::Time load_end = sim::Time::Zero() + config_.duration;
    const sim::Time deadline = load_end + config_.drain;
    StartSamplers();
    sched_.Spawn(Main(), "scenario.main");
    // Once the load has ended, stop as soon as every file is done.
    sched_.SchedulePeriodic(load_end, sim::Minutes(1), [this] {
      if (main_done_ && pipeline_.producer().puts_in_flight() == 0 && pipeline_.Drained()) {
        SIM_LOG(sched_.log(), kInfo, "scenario", "pipeline drained: every file committed or failed");
        drained_ = true;
        sched_.Stop();
      }
    });
    sched_.RunUntil(deadline);
    if (!drained_ && main_done_ && pipeline_.producer().puts_in_flight() == 0) drained_ = pipeline_.Drained();
    SIM_CHECK_MSG(deploy_status_.ok(), "deploying the pipeline failed: " << deploy_status_.ToString());
    return Collect();
  }

 private:
  sim::Task<void> Main() {
    sim::Status deployed = co_await pipeline_.Deploy();
    if (!deployed.ok()) {
      deploy_status_ = deployed;
      sched_.Stop();
      co_return;
    }
    SIM_LOG(sched_.log(), kInfo, "scenario", "pipeline deployed; producers start (" << config_.name << ")");
    pipeline_.StartLoad();
    if (config_.replay_failed) {
      sim::Status slept = co_await sched_.SleepUntil(std::max(sched_.Now(), sim::Time::Zero() + config_.replay_at));
      if (!slept.ok()) co_return;
      sim::StatusOr<uint64_t> replayed = co_await pipeline_.copy_stage().ReplayFailed();
      if (replayed.ok()) {
        SIM_LOG(sched_.log(), kInfo, "scenario", "replayed " << *replayed << " files from failed/");
      } else {
        SIM_LOG(sched_.log(), kWarn, "scenario", "replay failed: " << replayed.status().ToString());
      }
    }
    main_done_ = true;
  }

  void StartSamplers() {
    const std::string queue = pipeline_.config().queue;
    const std::string dlq = pipeline_.config().dlq;
    auto& m = env_.metrics();
    const sim::Duration every = sim::Seconds(10);
    m.Sample(sched_, "queue.depth", sim::Time::Zero(), every, [this, queue] { return Depth(queue); });
    m.Sample(sched_, "queue.oldest_age_s", sim::Time::Zero(), every, [this, queue] {
      sim::StatusOr<emu::sqs::QueueCounts> c = pipeline_.sqs().model().Counts(queue, sched_.Now());
      if (!c.ok() || !c->oldest_enqueued_at) return 0.0;
      return (sched_.Now() - *c->oldest_enqueued_at).ToSeconds();
    });
    m.Sample(sched_, "dlq.depth", sim::Time::Zero(), every, [this, dlq] { return Depth(dlq); });
    m.Sample(sched_, "lambda.clean.concurrency", sim::Time::Zero(), every, [this] {
      const emu::lambda::FunctionStats* s = pipeline_.lambda().Stats(pipeline_.config().clean_function);
      return s ? static_cast<double>(s->concurrent) : 0.0;
    });
  }

  double Depth(const std::string& queue) {
    sim::StatusOr<emu::sqs::QueueCounts> c = pipeline_.sqs().model().Counts(queue, sched_.Now());
    return c.ok() ? static_cast<double>(c->total()) : 0.0;
  }

  RunSummary Collect() {
    RunSummary s;
    s.scenario = config_.name;
    s.seed = config_.seed;
    pipeline_.sqs().model().Advance(sched_.Now());
    pipeline_.s3().model().FlushStorage(sched_.Now());
    s.conservation = pipeline::CheckConservation(pipeline_, config_.lost_records);
    s.freshness_ms = pipeline::MeasureFreshness(pipeline_).millis;
    s.files_through_dlq = pipeline_.copy_stage().stats().files_copied;
    s.files_replayed = pipeline_.copy_stage().stats().replayed;
    s.duplicates_skipped = pipeline_.clean_stage().stats().duplicates_skipped;
    const auto& series = env_.metrics().series();
    auto peak = [&](const std::string& name) {
      auto it = series.find(name);
      return it == series.end() ? 0.0 : it->second.Max();
    };
    s.peak_queue_depth = peak("queue.depth");
    s.peak_oldest_message_age_s = peak("queue.oldest_age_s");
    s.peak_dlq_depth = peak("dlq.depth");
    for (const auto& [name, ts] : series) {
      auto& out = s.series[name];
      for (const auto& pt : ts.points()) out.emplace_back(pt.t.ToSeconds(), pt.value);
    }
    for (const std::string& fn : {pipeline_.config().clean_function, pipeline_.config().copy_function}) {
      const emu::lambda::FunctionStats* st = pipeline_.lambda().Stats(fn);
      if (!st) continue;
      FunctionSummary f;
      f.invocations = st->invocations;
      f.errors = st->errors;
      f.timeouts = st->timeouts;
      f.throttles = st->throttles;
      f.cold_starts = st->cold_starts;
      f.peak_concurrency = st->peak_concurrent;
      f.gb_seconds = st->billed_gb_seconds;
      s.functions[fn] = f;
    }
    const emu::CostMeter& cost = env_.cost();
    for (const auto& [key, units] : cost.usage()) s.cost_usd[key.first] += units * cost.PriceOf(key.first, key.second).usd_per_unit;
    s.total_cost_usd = cost.TotalUsd();
    s.sim_end_s = sched_.Now().ToSeconds();
    s.drained = drained_;
    s.events = sched_.stats().events_executed;
    // Key results join the event stream in the fingerprint.
    sim::Fingerprint& fp = sched_.fingerprint();
    fp.Add(s.conservation.generated_records);
    fp.Add(s.conservation.clean_records);
    fp.Add(s.conservation.dirty_records);
    fp.Add(s.conservation.failed.records);
    fp.Add(s.conservation.lost_records());
    fp.Add(static_cast<uint64_t>(s.freshness_ms.P99()));
    s.fingerprint = fp.Hex();
    return s;
  }

  const ScenarioConfig& config_;
  sim::Scheduler sched_;
  emu::Env env_;
  pipeline::Pipeline pipeline_;
  sim::Status deploy_status_;
  bool main_done_ = false;
  bool drained_ = false;
};

}  // namespace

RunSummary RunScenario(const ScenarioConfig& config, const RunHooks& hooks) { return ScenarioRun(config, hooks).Run(); }

}  // namespace scenarios
