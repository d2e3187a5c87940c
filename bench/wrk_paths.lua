-- wrk script: GET requests cycling through the lines of a file given after "--".
-- A line is a path, optionally followed by a tab and the Cookie header to send with it.
local requests = {}
local count = 0
local index = 0

init = function(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local path, cookie = line:match("^([^\t]+)\t?(.*)$")
    if path then
      local headers = { ["Accept"] = "text/html" }
      if cookie ~= nil and cookie ~= "" then
        headers["Cookie"] = cookie
      end
      count = count + 1
      requests[count] = wrk.format("GET", path, headers)
    end
  end
  file:close()
end

request = function()
  index = index % count + 1
  return requests[index]
end
