-- POST a survey form with a fresh submission token per request (bench/survey.py).
-- Arguments after "--": the file holding the URL-encoded body without the token, the content type, and a
-- run prefix (so tokens never repeat across runs). 201 and 303 count as answered; anything else is "bad".
-- Prints one JSON line at the end: latency percentiles in microseconds, requests, answered, bad, errors.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  base = f:read("*a")
  f:close()
  content_type = args[2]
  prefix = args[3] .. "-" .. id .. "-"
  ok, bad = 0, 0
end

function request()
  counter = counter + 1
  local token = string.format("%s%010d", prefix, counter)
  local body
  if content_type == "application/json" then
    body = string.gsub(base, "TOKEN", token)
  else
    body = base .. "&token=" .. token
  end
  return wrk.format("POST", nil, {["Content-Type"] = content_type}, body)
end

function response(status, headers, body)
  if status == 201 or status == 303 or status == 200 then ok = ok + 1 else bad = bad + 1 end
end

done = function(summary, latency, requests)
  local answered, refused = 0, 0
  for _, t in ipairs(threads) do
    answered = answered + t:get("ok")
    refused = refused + t:get("bad")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"p50": %d, "p95": %d, "p99": %d, "requests": %d, "duration_us": %d, "errors": %d, '
    .. '"answered": %d, "bad": %d}\n', latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.duration, errors, answered, refused))
end
