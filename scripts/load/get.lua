-- wrk script: GETs the URL with the API token of $SCEAU_LOAD_TOKEN, each
-- request formatted by Lua as post.lua does, so that wrk spends on it what
-- it spends on the POSTs: the machine's own ceiling in the same run.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SCEAU_LOAD_TOKEN")

function request()
  return wrk.format(nil, nil, nil, nil)
end
