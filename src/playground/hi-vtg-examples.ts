// A few HI-VTG items bundled for the playground's target picker. From the RA-RFT repository
// (JINSUBY/RA-RFT, dataset/anno/, commit 8843cbb), Apache-2.0; TVGBench durations from Time-R1's
// annotations (see ../shared/data/hi-vtg/README.md). Each keeps its relevant query and first refusable one.

/** One bundled HI-VTG item and where it comes from. */
export interface BundledHiVtgItem {
  source: string;
  item: unknown;
}

/** The bundled items (raw HI-VTG form; `hiVtgTargets` turns each into its two targets). */
export const HI_VTG_EXAMPLES: readonly BundledHiVtgItem[] = [
 {
  "source": "hi_vtg_charades.json item 0",
  "item": {
   "video": "/data/sungjoon/Charades_v1/E6DLK.mp4",
   "query_text": "person runs to the window to look out.",
   "timestamp": [
    9.3,
    14.4
   ],
   "difficulty": null,
   "think": "<think>\n<timestep>3.1 to 11.8</timestep> a person sits in a chair.\n<timestep>3.1 to 11.8</timestep> a person sits on a chair.\n<timestep>3.1 to 11.8</timestep> the person sits in the chair momentarily.\n<timestep>9.3 to 14.4</timestep> person runs to the window to look out.\n<timestep>9.3 to 14.4</timestep> person runs to the window.\n<timestep>9.3 to 14.4</timestep> person runs to the door.\n</think>",
   "duration": 27.25,
   "GRPO": [
    {
     "q": "person runs to the window to look out.",
     "a": "<answer>9.3 to 14.4</answer>",
     "r": true,
     "q_origin": "person runs to the window to look out.",
     "difficulty": "original"
    },
    {
     "q": "person walks past the glass panel.",
     "a": "<answer>I believe this query is entirely inappropriate for the video.The segment consistently shows running rather than walking, so there is no footage of a walking approach or passage.The relevant shots display a window or a door but do not present a glass panel, therefore no part corresponds to a glass panel being passed.The material shows the person moving toward the window/door, not walking past or away from a nearby panel, so no interval matches the described trajectory.</answer>",
     "r": false,
     "c": [
      "Action/FineGrainedAction",
      "Object/ObjectExistence",
      "Object/ObjectMoving"
     ],
     "q_origin": "person walks past the glass panel.",
     "difficulty": "easy"
    }
   ]
  }
 },
 {
  "source": "hi_vtg_charades.json item 1",
  "item": {
   "video": "/data/sungjoon/Charades_v1/IV1S7.mp4",
   "query_text": "person puts the glass on the table.",
   "timestamp": [
    8.2,
    13.6
   ],
   "difficulty": null,
   "think": "<think>\n<timestep>0.5 to 6.4</timestep> a person runs through the doorway into a dining room.\n<timestep>4.7 to 11.7</timestep> a person takes a glass from a cabinet.\n<timestep>8.2 to 13.6</timestep> person puts the glass on the table.\n</think>",
   "duration": 16.75,
   "GRPO": [
    {
     "q": "person puts the glass on the table.",
     "a": "<answer>8.2 to 13.6</answer>",
     "r": true,
     "q_origin": "person puts the glass on the table.",
     "difficulty": "original"
    },
    {
     "q": "person puts the bottle on the table.",
     "a": "<answer>The query appears inconsistent with the video content.The portion showing the person taking and placing an item clearly depicts a glass from the cabinet, not a bottle, so no part of the clip supports a bottle being placed.</answer>",
     "r": false,
     "c": [
      "Object/ObjectExistence"
     ],
     "q_origin": "person puts the bottle on the table.",
     "difficulty": "hard"
    }
   ]
  }
 },
 {
  "source": "hi_vtg_charades.json item 20",
  "item": {
   "video": "/data/sungjoon/Charades_v1/BDZNW.mp4",
   "query_text": "person closing the door.",
   "timestamp": [
    28.7,
    34.0
   ],
   "difficulty": null,
   "think": "<think>\n<timestep>28.7 to 34.0</timestep> person closing the door to it behind them.\n<timestep>28.7 to 34.0</timestep> person closing the door.\n</think>",
   "duration": 31.12,
   "GRPO": [
    {
     "q": "person closing the door.",
     "a": "<answer>28.7 to 34.0</answer>",
     "r": true,
     "q_origin": "person closing the door.",
     "difficulty": "original"
    },
    {
     "q": "person opening the door.",
     "a": "<answer>The query appears inconsistent with the video segment.The segment shows the person closing the door, while the query asks about opening it, so no part of the segment satisfies this.</answer>",
     "r": false,
     "c": [
      "Action/FineGrainedAction"
     ],
     "q_origin": "person opening the door.",
     "difficulty": "hard"
    }
   ]
  }
 },
 {
  "source": "hi_vtg_tvgbench.json item 0",
  "item": {
   "video": "dataset/videos/tvgbench/v_6WQSZekz8vQ.mp4",
   "query_text": "We see the closing ending credits.",
   "timestamp": [
    49.97,
    56.15
   ],
   "difficulty": null,
   "think": "<think>\n<timestep>0 to 7.86</timestep> We see two opening title screens. <timestep>7.86 to 14.6</timestep> We see two men in fatigues doing sit ups outside in the grass with instructions on the screen while one man is holding the legs of a man in the sit up positions. <timestep>14.88 to 28.63</timestep> The laying down man sits up. <timestep>28.92 to 49.69</timestep> The man is laying again and does a couple of sit ups. <timestep>49.97 to 56.15</timestep> We see the closing ending credits.\n</think>",
   "GRPO": [
    {
     "q": "We see the closing ending credits.",
     "a": "<answer>50.0 to 56.1</answer>",
     "r": true,
     "difficulty": "original"
    },
    {
     "q": "We see the opening ending trailer first.",
     "a": "<answer>This query is clearly unrelated to the video: it claims an \"opening ending trailer\" appears first, but the clip only shows opening title screens at the start and the closing ending credits at the end, with no trailer at any point. The added ordering word reinforces a sequence that does not occur in the video. opening, trailer, first We see the closing ending credits.</answer>",
     "r": false,
     "c": [
      "Attribute/AttributeValue",
      "Object/ObjectExistence",
      "Action/ActionSequence"
     ],
     "difficulty": "easy"
    }
   ],
   "PRO": {
    "prompt": "What is depicted from 49.97 to 56.15 seconds?",
    "answer": {
     "original": "We see the closing ending credits.",
     "ir_hard": "We see the opening ending credits.",
     "ir_mid": "We see the opening ending trailer.",
     "ir_easy": "We see the opening ending trailer first."
    }
   },
   "duration": 56.15
  }
 }
];
