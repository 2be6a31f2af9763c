-- wrk script: POSTs the request bodies of $SCEAU_LOAD_BODIES (one JSON
-- document a line) in turn, with the API token of $SCEAU_LOAD_TOKEN.
bodies = {}
for line in io.lines(os.getenv("SCEAU_LOAD_BODIES")) do
  bodies[#bodies + 1] = line
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SCEAU_LOAD_TOKEN")

-- Each wrk thread starts at another place in the bodies.
next_body = 0
function setup(thread)
  thread:set("next_body", math.random(#bodies))
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
