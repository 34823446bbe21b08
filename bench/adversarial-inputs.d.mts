export declare const adversarialTexts: Record<string, string>;
export declare function adversarialCompletions(): [name: string, completion: string][];
