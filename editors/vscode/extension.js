// The protodsl VS Code extension: starts `protodsl lsp` for .protocol files.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("protodsl");
  const command = config.get("server.command") || ["protodsl", "lsp"];
  const serverOptions = {
    command: command[0],
    args: command.slice(1),
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [{ language: "protodsl" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.protocol") },
  };
  client = new LanguageClient("protodsl", "protodsl", serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `protodsl: could not start \`${command.join(" ")}\` (pip install "protodsl[lsp]"): ${error}`);
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
