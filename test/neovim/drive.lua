-- Drives Neovim's own LSP client against Verbatim as a user would (the README's init.lua is loaded with -u),
-- and writes what came back to the JSON file named by VERBATIM_NVIM_OUT; test/neovim.test.ts asserts on it.
-- Every wait is on a condition (vim.wait with a predicate); the timeout only ends a run that went wrong.
local TIMEOUT = 20000
local results = {}

local function wait_for(what, predicate)
  if not vim.wait(TIMEOUT, predicate, 10) then error('timed out waiting for ' .. what) end
end

local function attached(buf)
  for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
    if client.name == 'verbatim' then return client end
  end
end

-- Diagnostics as Neovim holds them: 0-based lines, byte columns.
local function diagnostics_of(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { code = d.code, lnum = d.lnum, col = d.col, severity = d.severity, message = d.message })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return list
end

-- Puts the cursor `delta` bytes into the first occurrence of `needle`.
local function cursor_on(buf, needle, delta)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = line:find(needle, 1, true)
    if at then
      vim.api.nvim_win_set_cursor(0, { i, at - 1 + delta })
      return line
    end
  end
  error('not in the buffer: ' .. needle)
end

-- One request through the client, with Neovim's own position encoding.
local function request(buf, method)
  local responses = vim.lsp.buf_request_sync(buf, method, vim.lsp.util.make_position_params(), TIMEOUT)
  for _, response in pairs(responses or {}) do
    if response.error then error(method .. ': ' .. vim.inspect(response.error)) end
    return response.result
  end
end

-- Completion after typing `typed` (ending in `[@`) on a new last line: the cursor on the closing bracket an
-- editor pairs with `[` is just after the `@` (in normal mode the cursor cannot stand past a line's last character).
local function completion_after(buf, typed)
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { typed .. ']' })
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(buf), #typed })
  local completion = request(buf, 'textDocument/completion')
  local labels = {}
  for _, item in ipairs((completion and completion.items) or completion or {}) do table.insert(labels, item.label) end
  return labels
end

local function run()
  vim.cmd('edit notes/example.md')
  local buf = vim.api.nvim_get_current_buf()
  results.filetype = vim.bo[buf].filetype
  wait_for('the verbatim client to attach', function() return attached(buf) ~= nil end)
  -- The example's misattributed quotation is read with the English tagger, which loads after the first
  -- diagnostics: the list is complete once it is there.
  wait_for('diagnostics', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'quote-misattributed' then return true end
    end
    return false
  end)
  results.diagnostics = diagnostics_of(buf)

  cursor_on(buf, 'kilometres', 2)
  local hover = request(buf, 'textDocument/hover')
  results.hover = hover and hover.contents.value

  results.completion = completion_after(buf, 'Korybko is cited here [@')

  -- A quick fix, through vim.lsp.buf.code_action() and its menu, on a quotation after non-ASCII text
  -- (Neovim 0.7 sends the line's diagnostics back with byte columns as the range).
  vim.cmd('edit notes/unicode.md')
  local note = vim.api.nvim_get_current_buf()
  wait_for('the unicode note to attach', function() return attached(note) ~= nil end)
  wait_for('its diagnostic', function() return #vim.diagnostic.get(note) > 0 end)
  results.unicode_diagnostics = diagnostics_of(note)
  cursor_on(note, 'kilometres', 3)
  local offered
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    local preferred
    for i, item in ipairs(items) do
      table.insert(offered, (opts.format_item(item)))
      if item[2].isPreferred and not preferred then preferred = i end
    end
    if preferred then on_choice(items[preferred], preferred) else on_choice(nil, nil) end
  end
  vim.lsp.buf.code_action()
  wait_for('the code action menu', function() return offered ~= nil end)
  results.code_actions = offered
  wait_for('the fix to be applied', function() return vim.api.nvim_buf_get_lines(note, 0, 1, false)[1]:find('kilometers', 1, true) ~= nil end)
  results.fixed_line = vim.api.nvim_buf_get_lines(note, 0, 1, false)[1]
  wait_for('the diagnostic to go', function() return #vim.diagnostic.get(note) == 0 end)
  results.diagnostics_after_fix = diagnostics_of(note)

  -- A note whose front matter names its own bibliography: its diagnostics, hover and completion follow it,
  -- and editing the front matter checks the note again.
  vim.cmd('edit notes/own.md')
  local own = vim.api.nvim_get_current_buf()
  wait_for('the front-matter note to attach', function() return attached(own) ~= nil end)
  wait_for('its diagnostics', function() return #vim.diagnostic.get(own) > 0 end)
  results.own_diagnostics = diagnostics_of(own)
  cursor_on(own, '@gul-own', 2)
  local own_hover = request(own, 'textDocument/hover')
  results.own_hover = own_hover and own_hover.contents.value
  results.own_completion = completion_after(own, 'Gul is cited here [@')
  for i, line in ipairs(vim.api.nvim_buf_get_lines(own, 0, -1, false)) do
    if line:find('^bibliography:') then vim.api.nvim_buf_set_lines(own, i - 1, i, false, { 'bibliography: refs/missing.bib' }) end
  end
  wait_for('the edited front matter to be checked', function()
    for _, d in ipairs(vim.diagnostic.get(own)) do
      if d.code == 'corpus-error' then return true end
    end
    return false
  end)
  results.own_after_edit = diagnostics_of(own)
end

local ok, err = pcall(run)
if not ok then results.error = tostring(err) end
local file = assert(io.open(assert(os.getenv('VERBATIM_NVIM_OUT'), 'VERBATIM_NVIM_OUT is not set'), 'w'))
file:write(vim.fn.json_encode(results))
file:close()
vim.cmd('qall!')
