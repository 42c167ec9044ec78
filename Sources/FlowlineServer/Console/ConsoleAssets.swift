import Hummingbird

/// The console's stylesheet and script, compiled into the binary: nothing is fetched from elsewhere.
enum ConsoleAssets {
    static func response(_ name: String) -> Response? {
        switch name {
        case "console.css": ConsoleResponse.asset(css, contentType: "text/css; charset=utf-8")
        case "console.js": ConsoleResponse.asset(script, contentType: "text/javascript; charset=utf-8")
        default: nil
        }
    }

    static let css = """
        :root { --ink: #16191f; --muted: #5f6b7a; --line: #d5dbdb; --accent: #0972d3; --bad: #d91515; --ok: #037f0c; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: #f2f3f3; }
        nav { display: flex; gap: 1.2em; align-items: center; padding: .6em 1.5em; background: #232f3e; }
        nav a, nav button.link { color: #fff; text-decoration: none; }
        nav .brand { font-weight: 700; margin-right: 1em; }
        nav form { margin-left: auto; }
        main { max-width: 1100px; margin: 1.5em auto; padding: 1.5em 2em; background: #fff; border: 1px solid var(--line); }
        h1 { font-size: 1.5em; margin-top: 0; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
        th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #fafafa; font-weight: 600; }
        .field { margin: 0 0 1em; max-width: 640px; }
        .field label { display: block; font-weight: 600; margin-bottom: .25em; }
        .field.invalid input, .field.invalid textarea, .field.invalid select { border-color: var(--bad); }
        input[type=text], input[type=password], input[type=number], textarea, select { width: 100%; padding: .4em; border: 1px solid #8d99a8; border-radius: 3px; font: inherit; }
        .row { display: flex; gap: .6em; align-items: flex-end; flex-wrap: wrap; }
        .row .field { flex: 1 1 150px; }
        .row > input, .row > select { flex: 1 1 140px; width: auto; margin-bottom: .5em; }
        .hint { color: var(--muted); margin: .2em 0 0; font-size: .92em; }
        .error { color: var(--bad); margin: .25em 0 0; }
        .testing { color: var(--muted); margin-bottom: 1em; }
        #test-result { margin-top: 1em; }
        .alert { border: 1px solid var(--bad); background: #fff7f7; padding: .5em 1em; margin-bottom: 1em; }
        .notice { border: 1px solid var(--ok); background: #f2fcf3; padding: .5em 1em; margin-bottom: 1em; }
        button { background: var(--accent); color: #fff; border: 0; border-radius: 3px; padding: .45em 1em; font: inherit; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
        #load-entities { margin-bottom: 1em; }
        .actions { align-items: baseline; }
        button.danger { background: var(--bad); font-weight: 600; }
        button.link { background: none; padding: 0; }
        form.inline { display: inline; }
        .narrow { max-width: 420px; }
        .steps { display: flex; gap: .4em; list-style: none; padding: 0; margin: 0 0 1.5em; flex-wrap: wrap; }
        .steps li { padding: .3em .8em; border: 1px solid var(--line); border-radius: 1em; color: var(--muted); }
        .steps li.current { border-color: var(--accent); color: var(--accent); font-weight: 600; }
        .actions { margin-top: 1.5em; display: flex; gap: .6em; }
        .status-Successful, .status-Active { color: var(--ok); font-weight: 600; }
        .status-Error, .status-Errored { color: var(--bad); font-weight: 600; }
        .status-InProgress { color: var(--accent); font-weight: 600; }
        .check { display: inline-block; margin-right: 1em; font-weight: normal; }
        fieldset { border: 1px solid var(--line); margin: 0 0 1em; padding: .6em 1em; }
        legend { font-weight: 600; }
        fieldset fieldset { background: #fafafa; }
        code, pre { background: #f4f4f4; padding: .1em .3em; }
        button.remove { background: #fff; color: var(--bad); border: 1px solid var(--bad); margin-bottom: 1em; }
        .actions .spacer { flex: 1; }
        .required { color: var(--bad); font-weight: normal; font-size: .9em; }
        div.error .plain { display: block; }
        details.api-message { color: var(--muted); font-size: .9em; }
        details.api-message summary { cursor: pointer; }
        [hidden] { display: none !important; }
        #fields td input, #fields td select { margin: 0; }
        dl { display: grid; grid-template-columns: max-content auto; gap: .3em 1.2em; } dt { font-weight: 600; } dd { margin: 0; }
        """

    /// Progressive help only: every form also works without it (the server checks everything again).
    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          // The flow name is checked as it is typed, by the service's own rules (GET, no side effects).
          for (const input of document.querySelectorAll("input[data-check-url]")) {
            const note = document.createElement("p");
            note.className = "error live"; note.dataset.liveFor = input.name;
            input.insertAdjacentElement("afterend", note);
            let timer;
            input.addEventListener("input", () => {
              clearTimeout(timer);
              timer = setTimeout(async () => {
                const url = input.dataset.checkUrl + encodeURIComponent(input.value);
                try {
                  const answer = await (await fetch(url, { credentials: "same-origin" })).json();
                  note.textContent = answer.message || "";
                  input.setAttribute("aria-invalid", answer.message ? "true" : "false");
                } catch (_) { note.textContent = ""; }
              }, 250);
            });
          }
          // Alternative credential groups (SAP OData's basic or OAuth): show the chosen one only;
          // the server sends the chosen group whatever is shown.
          for (const radio of document.querySelectorAll("input[type=radio][data-choice]")) {
            radio.addEventListener("change", () => {
              for (const group of document.querySelectorAll("fieldset[data-choice-for]")) {
                if (group.dataset.choiceFor === radio.name) group.hidden = group.dataset.choiceValue !== radio.value;
              }
            });
          }
          // A chosen CSV file of source,destination pairs is read into the text area the server receives.
          for (const file of document.querySelectorAll("input[type=file][data-into]")) {
            file.addEventListener("change", () => {
              const target = document.getElementById(file.dataset.into);
              const chosen = file.files && file.files[0];
              if (!target || !chosen) return;
              const reader = new FileReader();
              reader.onload = () => { target.value = reader.result; };
              reader.readAsText(chosen);
            });
          }
          // Choices whose options come from the server (another source connector, connection or
          // bucket) reload the step, as its "Load objects" button does.
          for (const select of document.querySelectorAll("select[data-reload]")) {
            select.addEventListener("change", () => {
              const button = document.getElementById(select.dataset.reload);
              if (button) button.click();
            });
          }
          // Parts of a form that apply to one choice only (data-show-when="control=a,b"): shown while
          // the control, in the same row if it has one there, has one of those values.
          const controlFor = (element, name) => {
            const row = element.parentElement && element.parentElement.closest(".row");
            const scope = row && row.querySelector(`[name="${name}"]`) ? row : element.closest("form") || document;
            return [...scope.querySelectorAll(`[name="${name}"]`)];
          };
          const valueOf = (controls) => {
            const radios = controls.filter((c) => c.type === "radio");
            if (radios.length) { const on = radios.find((r) => r.checked); return on ? on.value : ""; }
            return controls.length ? controls[0].value : "";
          };
          const dependents = [...document.querySelectorAll("[data-show-when]")].map((element) => {
            const [name, values] = element.dataset.showWhen.split("=");
            return { element, controls: controlFor(element, name), values: values.split(",") };
          });
          const refresh = () => {
            for (const d of dependents) d.element.hidden = !d.values.includes(valueOf(d.controls));
          };
          for (const d of dependents) for (const c of d.controls) c.addEventListener("change", refresh);
          // Filter rows: the comparisons offered follow the field's type (or the type chosen to compare as).
          const narrow = (row) => {
            const field = row.querySelector("select[name='filter.field']");
            const op = row.querySelector("select[name='filter.op']");
            const type = row.querySelector("select[name='filter.dataType']");
            if (!field || !op || !type) return;
            const chosen = field.selectedOptions[0];
            const fieldType = chosen && chosen.dataset.type ? chosen.dataset.type : "";
            const automatic = type.querySelector("option[value='']");
            if (automatic) automatic.textContent = fieldType ? `automatic (${fieldType})` : "automatic";
            const compareAs = type.value || fieldType;
            const offered = type.value === "" && chosen && chosen.dataset.ops ? chosen.dataset.ops.split(" ") : null;
            for (const option of op.options) {
              const fits = offered ? offered.includes(option.value) : !compareAs || option.dataset.types.split(" ").includes(compareAs);
              option.hidden = !fits; option.disabled = !fits;
            }
            if (!op.selectedOptions[0] || op.selectedOptions[0].disabled) {
              const first = [...op.options].find((o) => !o.disabled);
              if (first) op.value = first.value;
            }
            op.dispatchEvent(new Event("change"));
          };
          for (const row of document.querySelectorAll(".filter-row")) {
            for (const name of ["filter.field", "filter.dataType"]) {
              const select = row.querySelector(`select[name='${name}']`);
              if (select) select.addEventListener("change", () => narrow(row));
            }
            narrow(row);
          }
          // "Test connection" asks in place, so the secrets typed stay in their inputs.
          for (const button of document.querySelectorAll("button[data-test-connection]")) {
            button.addEventListener("click", async (event) => {
              event.preventDefault();
              const form = button.form, out = document.getElementById("test-result");
              if (!form || !out) return;
              const data = new URLSearchParams(new FormData(form));
              data.set("action", "test"); data.set("format", "json");
              out.hidden = false; out.className = "testing"; out.textContent = "Testing the connection…";
              button.disabled = true;
              try {
                // getAttribute: the form's buttons are named "action", which shadows form.action.
                const url = form.getAttribute("action");
                const answer = await (await fetch(url, { method: "POST", body: data, credentials: "same-origin" })).json();
                out.className = answer.ok ? "notice" : "alert";
                out.textContent = "";
                const plain = document.createElement("span");
                plain.className = "plain"; plain.textContent = answer.message;
                out.append(plain);
                if (answer.apiMessage) {
                  const details = document.createElement("details"), summary = document.createElement("summary"), code = document.createElement("code");
                  details.className = "api-message"; summary.textContent = "The API's message"; code.textContent = answer.apiMessage;
                  details.append(summary, code);
                  out.append(details);
                }
              } catch (_) {
                out.className = "alert"; out.innerHTML = "";
                const plain = document.createElement("span");
                plain.className = "plain"; plain.textContent = "The test could not be run; try the button again.";
                out.append(plain);
              } finally {
                button.disabled = false;
              }
            });
          }
          refresh();
        });
        """
}
