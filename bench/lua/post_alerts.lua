-- wrk script: POST Alertmanager v2 postable alerts (JSON array) to /api/v2/alerts.
-- Environment:
--   BATCH=N        alerts per request (default 1)
--   MODE=distinct  every alert gets a new label set (instance="<RUNID>t<thread>-<counter>")
--   MODE=dup       the same request body every time (BATCH fixed label sets,
--                  instance="dup-0".."dup-<BATCH-1>"; with BATCH=1 a single label set)
--   TOKEN=...      sent as "Authorization: Bearer TOKEN" (omitted when empty)
--   ALERTNAME=...  alertname label (default BenchIntake)
--   RUNID=...      prefix for distinct instance labels (unique across runs on one target)
-- done() prints one machine-readable line starting with "RESULT ".

local batch     = tonumber(os.getenv("BATCH") or "1")
local mode      = os.getenv("MODE") or "distinct"
local token     = os.getenv("TOKEN") or ""
local alertname = os.getenv("ALERTNAME") or "BenchIntake"
local runid     = os.getenv("RUNID") or ""

local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

local headers = { ["Content-Type"] = "application/json" }
if token ~= "" then headers["Authorization"] = "Bearer " .. token end

local now = os.time()
local starts = os.date("!%Y-%m-%dT%H:%M:%SZ", now)
local ends   = os.date("!%Y-%m-%dT%H:%M:%SZ", now + 3600)

-- one alert = PRE .. instance .. POST
local PRE  = '{"labels":{"alertname":"' .. alertname ..
             '","job":"bench","severity":"warning","instance":"'
local POST = '"},"annotations":{"summary":"intake benchmark alert","description":"posted by wrk"},' ..
             '"startsAt":"' .. starts .. '","endsAt":"' .. ends ..
             '","generatorURL":"http://127.0.0.1/bench"}'

local prefix = ""

function init(args)
   prefix = runid .. "t" .. tostring(tid or 0) .. "-"
   if mode == "dup" then
      local parts = {}
      for i = 0, batch - 1 do parts[#parts + 1] = PRE .. "dup-" .. i .. POST end
      -- static request: wrk builds it once per connection and never calls into Lua per request
      wrk.method = "POST"
      wrk.path = "/api/v2/alerts"
      for k, v in pairs(headers) do wrk.headers[k] = v end
      wrk.body = "[" .. table.concat(parts, ",") .. "]"
      request = nil
   end
end

local buf = {}
function request()
   buf[1] = "["
   local k = 2
   for i = 1, batch do
      if i > 1 then buf[k] = ","; k = k + 1 end
      buf[k] = PRE; buf[k + 1] = prefix; buf[k + 2] = tostring(counter); buf[k + 3] = POST
      k = k + 4
      counter = counter + 1
   end
   buf[k] = "]"
   for j = k + 1, #buf do buf[j] = nil end
   return wrk.format("POST", "/api/v2/alerts", headers, table.concat(buf))
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d batch=%d mode=%s\n",
      summary.requests, summary.duration,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.status, e.timeout, batch, mode))
end
