/// The console's Mustache templates (``WebPages`` compiles them with the status page's). Every
/// form that changes something posts the session's CSRF token (`{{csrf}}`); pages work without
/// the script, which refreshes the parts marked `data-live`.
enum ConsoleTemplates {
    static let all: [String: String] = [
        "consoleHeader": """
        <header class="top"><a class="brand" href="/console/runs">rbx</a>
        <nav><a href="/console/runs">Runs</a><a href="/console/silences">Silences</a>\
        <a href="/console/catalog">Catalog</a><a href="/status">Status</a></nav>
        <span class="who">{{who}} <form class="inline" method="post" action="/console/logout">\
        <input type="hidden" name="csrf" value="{{csrf}}"><button>Sign out</button></form></span></header>
        """,
        "flash": """
        {{#flash}}<p class="flash {{kind}}" role="status">{{text}}</p>{{/flash}}
        """,
        "login": """
        {{<layout}}{{$content}}
        <h1>Sign in to rbx</h1>
        {{#error}}<p class="flash error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/console/login">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="next" value="{{next}}">
        <p><label for="token">Your token (a named token from rbx.yaml, <code>auth.tokens</code>)</label><br>
        <input type="password" id="token" name="token" autocomplete="current-password" required size="40"></p>
        <p><button class="primary" type="submit">Sign in</button></p>
        </form>
        <p class="muted">Actions you take here are recorded under your token's name.</p>
        {{/content}}{{/layout}}
        """,
        "error": """
        {{<layout}}{{$header}}{{#who}}{{>consoleHeader}}{{/who}}{{/header}}{{$content}}
        <h1>{{heading}}</h1><p class="flash error" role="alert">{{message}}</p>
        <p><a href="{{back}}">Back</a></p>
        {{/content}}{{/layout}}
        """,
        "runTable": """
        <div class="table-wrap"><table><thead><tr><th>Severity</th><th>Alert</th><th class="wide">Runbook</th>\
        <th>State</th><th class="wide">Now</th><th class="wide">Started</th><th class="wide">Next page</th></tr></thead><tbody>
        {{#rows}}<tr><td><span class="badge">{{severity}}</span></td>
        <td><a href="/console/runs/{{id}}">{{alert}}</a>{{#labels}}<div class="muted">{{labels}}</div>{{/labels}}</td>
        <td class="wide">{{runbook}}</td>
        <td><span class="badge s-{{state}}">{{state}}</span>{{#drill}} <span class="badge s-drill">drill</span>{{/drill}}\
        <div class="muted narrow">{{age}}</div></td>
        <td class="wide">{{now}}</td><td class="wide">{{#started}}{{>time}}{{/started}}<div class="muted">{{age}}</div></td>
        <td class="wide">{{#next}}{{#due}}{{>time}}{{/due}}<div class="muted">{{targets}}</div>{{/next}}</td></tr>
        {{/rows}}{{^rows}}<tr><td colspan="7" class="muted">{{empty}}</td></tr>{{/rows}}
        </tbody></table></div>
        """,
        "runs": """
        {{<layout}}{{$header}}{{>consoleHeader}}{{/header}}{{$content}}
        <h1>Runs</h1>
        {{>flash}}
        <form class="filters" method="get" action="/console/runs">
        <label>State<select name="state">{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>\
        {{label}}</option>{{/states}}</select></label>
        <label>Runbook<select name="runbook"><option value="">any</option>{{#runbooks}}<option value="{{value}}"\
        {{#selected}} selected{{/selected}}>{{value}}</option>{{/runbooks}}</select></label>
        <label>Severity<select name="severity"><option value="">any</option>{{#severities}}<option value="{{value}}"\
        {{#selected}} selected{{/selected}}>{{value}}</option>{{/severities}}</select></label>
        <label>Label matcher<input type="text" name="label" value="{{label}}" placeholder="team=&quot;sre&quot;">\
        </label>
        <button type="submit">Filter</button> <a href="/console/runs">Clear</a>
        </form>
        <div id="live-runs" data-live>
        {{#open}}<h2>Open incidents ({{count}})</h2>{{>runTable}}{{/open}}
        {{#history}}<h2>{{heading}}</h2>{{>runTable}}{{/history}}
        {{#older}}<p><a href="{{older}}">Older runs →</a></p>{{/older}}
        </div>
        {{/content}}{{/layout}}
        """,
        "run": """
        {{<layout}}{{$header}}{{>consoleHeader}}{{/header}}{{$content}}
        <p class="muted"><a href="/console/runs">← Runs</a></p>
        {{>flash}}
        <div id="live-run" data-live>
        <h1>{{title}} <span class="badge s-{{state}}">{{state}}</span>\
        {{#drill}} <span class="badge s-drill">drill</span>{{/drill}}</h1>
        {{#drill}}<p class="muted">This is a {{drill}}: steps are assumed, messages recorded, not sent.</p>{{/drill}}
        <dl class="kv"><dt>Run</dt><dd><code>{{id}}</code> · attempt {{attempt}}</dd>
        <dt>Runbook</dt><dd><a href="/console/catalog/{{runbook}}">{{runbook}}</a></dd>
        <dt>Started</dt><dd>{{#started}}{{>time}}{{/started}}</dd>
        {{#finished}}<dt>Steps ended</dt><dd>{{>time}}</dd>{{/finished}}
        {{#now}}<dt>Now</dt><dd>{{now}}</dd>{{/now}}
        {{#ackedBy}}<dt>Acknowledged by</dt><dd>{{ackedBy}}</dd>{{/ackedBy}}
        {{#resolvedBy}}<dt>Resolved</dt><dd>{{resolvedBy}}{{#resolvedAt}} · {{>time}}{{/resolvedAt}}</dd>{{/resolvedBy}}
        {{#next}}<dt>Next page</dt><dd>{{#due}}{{>time}}{{/due}} → {{targets}}</dd>{{/next}}
        </dl>
        {{#gate}}<section class="gate" aria-labelledby="gate-title"><h2 id="gate-title">Approval needed: {{step}}</h2>
        {{#prompt}}<p>{{prompt}}</p>{{/prompt}}
        {{#approvers}}<p class="muted">May decide: {{approvers}}</p>{{/approvers}}
        <h3>What the steps before it found</h3>
        {{#found}}<h4>{{id}} · {{status}}</h4>{{#outputs}}<dl class="kv">{{#pairs}}<dt>{{name}}</dt><dd><code>{{value}}</code>\
        </dd>{{/pairs}}</dl>{{/outputs}}{{#stdout}}<pre class="output">{{stdout}}</pre>{{/stdout}}{{/found}}
        {{^found}}<p class="muted">No step has finished before this one.</p>{{/found}}
        <form class="inline" method="post" action="/console/runs/{{runID}}/approve">\
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="step" value="{{step}}">\
        <button class="primary" type="submit">Approve</button></form>
        <form class="inline" method="post" action="/console/runs/{{runID}}/deny">\
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="step" value="{{step}}">\
        <button class="danger" type="submit">Deny</button></form>
        </section>{{/gate}}
        <h2>Steps</h2>
        {{#steps}}<details{{#failed}} open{{/failed}}><summary><strong>{{id}}</strong> · {{kind}} · \
        <span class="badge s-{{css}}">{{status}}</span>{{#exit}} · exit {{exit}}{{/exit}} · {{duration}}\
        {{#attempts}} · {{attempts}} attempts{{/attempts}}</summary>
        {{#command}}<pre class="output">$ {{command}}</pre>{{/command}}
        {{#note}}<p>{{note}}</p>{{/note}}
        {{#outputs}}<dl class="kv">{{#pairs}}<dt>{{name}}</dt><dd><code>{{value}}</code></dd>{{/pairs}}</dl>{{/outputs}}
        {{#stdout}}<h4>stdout</h4><pre class="output">{{stdout}}</pre>{{/stdout}}
        {{#stderr}}<h4>stderr</h4><pre class="output">{{stderr}}</pre>{{/stderr}}
        </details>{{/steps}}
        {{^steps}}<p class="muted">No step has finished yet.</p>{{/steps}}
        <h2>Timeline</h2>
        <ol class="timeline">{{#timeline}}<li><span class="muted">{{at}}</span> {{summary}}</li>{{/timeline}}</ol>
        {{#hasNotifications}}<h2>Pages and messages</h2><div class="table-wrap"><table><thead><tr><th>When</th><th>To</th><th>What</th>\
        <th>Delivered</th></tr></thead><tbody>{{#notifications}}<tr><td>{{at}}</td><td>{{notifier}}</td>\
        <td>{{kind}}</td><td>{{delivered}}{{#error}}<div class="muted">{{error}}</div>{{/error}}</td></tr>\
        {{/notifications}}</tbody></table></div>{{/hasNotifications}}
        {{#status}}<h2>Status now</h2><section class="incident"><p class="meta">{{state}} · as /status shows it</p>\
        <div class="body">{{{html}}}</div></section>{{/status}}
        {{#hasMessages}}<h2>Status messages sent</h2>{{/hasMessages}}
        {{#statusMessages}}<section class="incident"><p class="meta">{{at}} · {{state}}</p>\
        <div class="body">{{{html}}}</div></section>{{/statusMessages}}
        </div>
        {{#actions}}<h2>Respond</h2>
        <form method="post" action="/console/runs/{{runID}}/ack"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>Note <input type="text" name="note" maxlength="1000" size="40"></label>
        <button type="submit">Acknowledge</button></form>
        <form method="post" action="/console/runs/{{runID}}/resolve"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>Note <input type="text" name="note" maxlength="1000" size="40"></label>
        <button type="submit">Resolve</button></form>{{/actions}}
        <h2>Alert</h2>
        {{#alert}}<dl class="kv"><dt>Name</dt><dd>{{name}}</dd><dt>Status</dt><dd>{{status}}</dd>
        <dt>Severity</dt><dd>{{severity}}</dd><dt>Occurrences</dt><dd>{{occurrences}}</dd>
        {{#startsAt}}<dt>Starts at</dt><dd>{{startsAt}}</dd>{{/startsAt}}
        {{#generator}}<dt>Source</dt><dd><a href="{{generator}}" rel="noopener noreferrer">{{generator}}</a></dd>\
        {{/generator}}</dl>
        <h3>Labels</h3><dl class="kv">{{#labels}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/labels}}</dl>
        {{#hasAnnotations}}<h3>Annotations</h3><dl class="kv">{{#annotations}}<dt>{{name}}</dt><dd>{{value}}</dd>\
        {{/annotations}}</dl>{{/hasAnnotations}}{{/alert}}
        {{#evidence}}<h2>Evidence</h2><dl class="kv"><dt>Bundle</dt><dd><code>{{path}}</code></dd>
        <dt>Manifest SHA-256</dt><dd><code>{{digest}}</code></dd></dl>
        <p><a href="/console/runs/{{runID}}/evidence" download>Download the bundle (.zip)</a>, checked against \
        this digest before it is sent; check it again with <code>rbx evidence verify</code>.</p>{{/evidence}}
        {{/content}}{{/layout}}
        """,
        "silences": """
        {{<layout}}{{$header}}{{>consoleHeader}}{{/header}}{{$content}}
        <h1>Silences</h1>
        {{>flash}}
        <form method="post" action="/console/silences"><fieldset><legend>New silence</legend>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="matchers">Matchers (as amtool writes them; commas or lines between)</label><br>
        <textarea id="matchers" name="matchers" rows="2" cols="50" required \
        placeholder="alertname=&quot;InstanceDown&quot;, instance=~&quot;web-.*&quot;">{{form.matchers}}</textarea></p>
        <p><label>Duration <input type="text" name="duration" value="{{form.duration}}" size="8" required></label>
        <label>Comment <input type="text" name="comment" value="{{form.comment}}" size="40" required></label></p>
        <p><button class="primary" type="submit">Create silence</button></p></fieldset></form>
        <div class="table-wrap"><table><thead><tr><th>State</th><th>Matchers</th><th class="wide">Starts</th>\
        <th>Ends</th><th class="wide">By</th><th>Comment</th><th></th></tr></thead><tbody>
        {{#silences}}<tr id="silence-{{id}}"><td><span class="badge s-{{css}}">{{state}}</span></td>\
        <td><code>{{matchers}}</code></td><td class="wide">{{#starts}}{{>time}}{{/starts}}</td>\
        <td>{{#ends}}{{>time}}{{/ends}}</td><td class="wide">{{createdBy}}</td><td>{{comment}}</td>\
        <td>{{#expirable}}<form class="inline" method="post" action="/console/silences/{{id}}/expire">\
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Expire</button></form>\
        {{/expirable}}</td></tr>
        {{/silences}}{{^silences}}<tr><td colspan="7" class="muted">No silences.</td></tr>{{/silences}}
        </tbody></table></div>
        {{/content}}{{/layout}}
        """,
        "catalog": """
        {{<layout}}{{$header}}{{>consoleHeader}}{{/header}}{{$content}}
        {{#rehearse}}<form class="filters" method="post" action="/console/catalog/{{name}}/rehearse">\
        <input type="hidden" name="csrf" value="{{csrf}}">\
        <label>Speed<select name="speed"><option value="1">1× (real time)</option><option value="10">10×</option>\
        <option value="60" selected>60× (a minute a second)</option><option value="600">600×</option></select></label>\
        <button type="submit">Rehearse</button>\
        <span class="muted">a fire drill through this server: steps assumed, messages recorded with [DRILL], not sent\
        </span></form>{{/rehearse}}
        <div class="doc">{{{body}}}</div>
        {{#recent}}<h2 id="recent">Recent runs of this runbook</h2>{{>runTable}}{{/recent}}
        {{/content}}{{/layout}}
        """,
    ]
}
