-- Replays pre-signed requests (wrk cannot compute an HMAC): each line of the file given as the
-- first argument is "<x-signature>\t<body>". Thread k of n sends lines k, k+n, k+2n…, so no two
-- threads send the same line; a thread that runs out starts its lines over and counts a wrap
-- (its later requests are duplicates). done() prints one JSON line for the bench to read.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  requests, next_request, wraps = {}, 0, 0
  local headers = { ["Content-Type"] = "application/json" }
  local i = 0
  for line in io.lines(file) do
    if i % count == id then
      local tab = line:find("\t", 1, true)
      headers["X-Signature"] = line:sub(1, tab - 1)
      requests[#requests + 1] = wrk.format("POST", nil, headers, line:sub(tab + 1))
    end
    i = i + 1
  end
end

function request()
  next_request = next_request + 1
  if next_request > #requests then
    next_request, wraps = 1, wraps + 1
  end
  return requests[next_request]
end

function done(summary, latency, _)
  local wrapped = 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + thread:get("wraps")
  end
  local errors = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,' ..
      '"p50Us":%d,"p99Us":%d,"maxUs":%d,"wraps":%d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, wrapped))
end
